// Keeps the repository and image pages out of the first download: they load when first visited.
import { lazy, Suspense } from "react";
import { StateMessage } from "../ui/state-message.tsx";
import { LoadErrorBoundary } from "./load-error-boundary.tsx";

const Pages = lazy(() => import("./repositories-route.tsx"));

/** Whether a path belongs to the repository pages. */
export function isRepositoriesPath(path: string): boolean {
  return path === "/repositories" || path.startsWith("/repositories/");
}

/** The repository pages, with a loading state while their code arrives. */
export function RepositoriesRoute({ path }: { path: string }) {
  return (
    <LoadErrorBoundary>
      <Suspense
        fallback={
          <main className="page" id="main">
            <StateMessage kind="loading" title="Loading…" />
          </main>
        }
      >
        <Pages path={path} />
      </Suspense>
    </LoadErrorBoundary>
  );
}
