// The list of my sessions, with search and the forms that start one.
import { useState } from "react";
import { LoadFailed } from "../ui/load-failed.tsx";
import { StateMessage } from "../ui/state-message.tsx";
import { NewSessionPanel, type StartMode } from "./new-session-panel.tsx";
import { SessionRow } from "./session-row.tsx";
import { useSessionList } from "./use-session-list.ts";

/** The home page. */
export function SessionsPage() {
  const [search, setSearch] = useState("");
  const [creating, setCreating] = useState<StartMode | null>(null);
  const [list, reload] = useSessionList(search);
  const now = Date.now();

  return (
    <main className="page" id="main">
      <div className="page-head">
        <h1>Sessions</h1>
        {creating ? null : (
          <div className="page-head-actions">
            <button type="button" className="button" onClick={() => setCreating("organisation")}>
              Ask the organisation
            </button>
            <button
              type="button"
              className="button button-primary"
              onClick={() => setCreating("repository")}
            >
              New session
            </button>
          </div>
        )}
      </div>
      {creating ? (
        <NewSessionPanel
          mode={creating}
          onModeChange={setCreating}
          onCancel={() => setCreating(null)}
        />
      ) : null}
      <div className="search">
        <label htmlFor="session-search" className="visually-hidden">
          Search sessions
        </label>
        <input
          id="session-search"
          type="search"
          placeholder="Search by title or repository"
          value={search}
          onChange={(event) => setSearch(event.target.value)}
        />
      </div>
      {list.status === "loading" ? <StateMessage kind="loading" title="Loading sessions…" /> : null}
      {list.status === "error" ? (
        <LoadFailed
          title="Your sessions could not be loaded."
          message={list.message}
          onRetry={reload}
        />
      ) : null}
      {list.status === "ready" && list.sessions.length === 0 ? (
        list.search ? (
          <StateMessage kind="empty" title={`No sessions match “${list.search}”.`} />
        ) : (
          <StateMessage kind="empty" title="No sessions yet.">
            <p>
              Start one on a repository, ask your organisation, or open a share link someone sent
              you.
            </p>
          </StateMessage>
        )
      ) : null}
      {list.status === "ready" && list.sessions.length > 0 ? (
        <ul className="link-list" aria-label="Your sessions">
          {list.sessions.map((session) => (
            <SessionRow key={session.id} session={session} now={now} />
          ))}
        </ul>
      ) : null}
    </main>
  );
}
