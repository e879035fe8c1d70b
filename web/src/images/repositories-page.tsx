// The registered repositories, each with its image state, warm pool and a link to its images.
import { Link } from "../router/link.tsx";
import { OrgRoutingLinks } from "../routing/org-routing-links.tsx";
import { LoadFailed } from "../ui/load-failed.tsx";
import { StateMessage } from "../ui/state-message.tsx";
import { useRepositoryDetails, useRepositoryList } from "../sessions/use-repositories.ts";
import { ImageStateBadge } from "./image-state-badge.tsx";
import { warmLabel } from "./image-state.ts";

/** The page at /repositories. */
export function RepositoriesPage() {
  const [list, reload] = useRepositoryList();
  const repositories = list.status === "ready" ? list.repositories : [];
  const details = useRepositoryDetails(repositories.map((item) => item.repo));

  return (
    <main className="page" id="main">
      <div className="page-head">
        <h1>Repositories</h1>
      </div>
      {list.status === "loading" ? (
        <StateMessage kind="loading" title="Loading repositories…" />
      ) : null}
      {list.status === "error" ? (
        <LoadFailed
          title="The repositories could not be loaded."
          message={list.message}
          onRetry={reload}
        />
      ) : null}
      {list.status === "ready" && repositories.length === 0 ? (
        <StateMessage kind="empty" title="No repositories are registered yet.">
          <p>
            Register one with <code>POST /api/repositories</code>; Tandem then builds its image and
            keeps sandboxes warm for it.
          </p>
        </StateMessage>
      ) : null}
      <OrgRoutingLinks repos={repositories.map((item) => item.repo)} />
      {repositories.length > 0 ? (
        <ul className="link-list" aria-label="Registered repositories">
          {repositories.map((item) => {
            const detail = details[item.repo];
            return (
              <li key={item.repo} className="link-row repo-row">
                <Link href={`/repositories/${item.repo}/images`} className="link-row-title mono">
                  {item.repo}
                </Link>
                <span className="repo-row-state">
                  <ImageStateBadge detail={detail} />
                  {detail ? <span className="muted">{warmLabel(detail)}</span> : null}
                </span>
                <span className="repo-row-branch muted">
                  branch <span className="mono">{item.defaultBranch}</span>
                </span>
              </li>
            );
          })}
        </ul>
      ) : null}
    </main>
  );
}
