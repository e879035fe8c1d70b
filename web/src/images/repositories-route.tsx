// The pages under /repositories, loaded on demand: the list, and one repository's images.
import "../styles/images.css";
import { matchPath } from "../router/router.ts";
import { NotFoundPage } from "../ui/not-found-page.tsx";
import { ImagesPage } from "./images-page.tsx";
import { RepositoriesPage } from "./repositories-page.tsx";

/** The page for a path under /repositories. */
export default function RepositoriesRoute({ path }: { path: string }) {
  if (matchPath("/repositories", path)) return <RepositoriesPage />;
  const images = matchPath("/repositories/:owner/:name/images", path);
  if (images) {
    const repo = `${images.owner}/${images.name}`;
    return <ImagesPage key={repo} repo={repo} />;
  }
  return <NotFoundPage />;
}
