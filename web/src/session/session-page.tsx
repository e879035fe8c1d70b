// Reads a session over HTTP, then hands it to the live room.
import { useEffect, useState } from "react";
import type { SessionView } from "../../../protocol/api.ts";
import { ApiError, messageOf } from "../api/client.ts";
import { getSession } from "../api/sessions.ts";
import { Link } from "../router/link.tsx";
import { StateMessage } from "../ui/state-message.tsx";
import { SessionRoom } from "./session-room.tsx";

type Load =
  | { status: "loading" }
  | { status: "error"; message: string; missing: boolean }
  | { status: "ready"; view: SessionView };

/** The page at /sessions/:id. */
export function SessionPage({ sessionId }: { sessionId: string }) {
  const [load, setLoad] = useState<Load>({ status: "loading" });

  useEffect(() => {
    let current = true;
    setLoad({ status: "loading" });
    getSession(sessionId)
      .then((view) => current && setLoad({ status: "ready", view }))
      .catch((error: unknown) => {
        const missing = error instanceof ApiError && error.code === "not_found";
        if (current) setLoad({ status: "error", message: messageOf(error), missing });
      });
    return () => {
      current = false;
    };
  }, [sessionId]);

  useEffect(() => {
    document.title = load.status === "ready" ? `${load.view.title} · Tandem` : "Tandem";
    return () => {
      document.title = "Tandem";
    };
  }, [load]);

  if (load.status === "ready") return <SessionRoom view={load.view} />;
  return (
    <main className="page page-narrow" id="main">
      {load.status === "loading" ? (
        <StateMessage kind="loading" title="Opening the session…" />
      ) : (
        <StateMessage
          kind="error"
          title={
            load.missing
              ? "This session does not exist, or you are not a participant."
              : "The session could not be opened."
          }
        >
          {load.missing ? <p>Ask its owner for a share link.</p> : <p>{load.message}</p>}
          <Link href="/">Back to your sessions</Link>
        </StateMessage>
      )}
    </main>
  );
}
