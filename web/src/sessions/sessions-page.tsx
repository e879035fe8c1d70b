// The list of my sessions, with search and the new-session form.
import { useState } from "react";
import { LoadFailed } from "../ui/load-failed.tsx";
import { StateMessage } from "../ui/state-message.tsx";
import { NewSessionForm } from "./new-session-form.tsx";
import { SessionRow } from "./session-row.tsx";
import { useSessionList } from "./use-session-list.ts";

/** The home page. */
export function SessionsPage() {
  const [search, setSearch] = useState("");
  const [creating, setCreating] = useState(false);
  const [list, reload] = useSessionList(search);
  const now = Date.now();

  return (
    <main className="page" id="main">
      <div className="page-head">
        <h1>Sessions</h1>
        {creating ? null : (
          <button type="button" className="button button-primary" onClick={() => setCreating(true)}>
            New session
          </button>
        )}
      </div>
      {creating ? <NewSessionForm onCancel={() => setCreating(false)} /> : null}
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
            <p>Start one on a repository, or open a share link someone sent you.</p>
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
