// Loads my sessions for a search text, waiting briefly while the text is still being typed.
import { useEffect, useState } from "react";
import { listSessions, type SessionSummary } from "../api/sessions.ts";
import { messageOf } from "../api/client.ts";

/** How long the search waits after the last keystroke. */
const SEARCH_DEBOUNCE_MS = 250;

/** The list as loaded for one search text. */
export type SessionListState =
  | { status: "loading" }
  | { status: "error"; message: string }
  | { status: "ready"; sessions: SessionSummary[]; search: string };

/** Sessions matching `search`; `reload` fetches again. */
export function useSessionList(search: string): [SessionListState, () => void] {
  const [state, setState] = useState<SessionListState>({ status: "loading" });
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    let current = true;
    const timer = setTimeout(
      () => {
        listSessions(search)
          .then((sessions) => current && setState({ status: "ready", sessions, search }))
          .catch(
            (error: unknown) => current && setState({ status: "error", message: messageOf(error) }),
          );
      },
      attempt === 0 && search === "" ? 0 : SEARCH_DEBOUNCE_MS,
    );
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [search, attempt]);

  return [state, () => setAttempt((n) => n + 1)];
}
