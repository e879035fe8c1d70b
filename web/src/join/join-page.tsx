// Opens a share link: /join/:sessionId#<token> joins the session, then shows it.
import { useEffect, useRef, useState } from "react";
import { messageOf } from "../api/client.ts";
import { joinSession } from "../api/sessions.ts";
import { Link } from "../router/link.tsx";
import { navigate } from "../router/router.ts";
import { StateMessage } from "../ui/state-message.tsx";

/** The page at /join/:sessionId. */
export function JoinPage({ sessionId }: { sessionId: string }) {
  const [error, setError] = useState<string | null>(null);
  const started = useRef(false);

  useEffect(() => {
    if (started.current) return;
    started.current = true;
    const token = decodeURIComponent(location.hash.slice(1));
    if (!token) {
      setError(
        "This link has no invitation token. Ask for the whole link, including the part after #.",
      );
      return;
    }
    joinSession(sessionId, token)
      .then((view) => navigate(`/sessions/${view.id}`, { replace: true }))
      .catch((caught: unknown) => setError(messageOf(caught)));
  }, [sessionId]);

  return (
    <main className="page page-narrow" id="main">
      {error ? (
        <StateMessage kind="error" title="You could not join this session.">
          <p>{error}</p>
          <Link href="/">Go to your sessions</Link>
        </StateMessage>
      ) : (
        <StateMessage kind="loading" title="Joining the session…" />
      )}
    </main>
  );
}
