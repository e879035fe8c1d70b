// The participants of a session, with removal, for the share dialog's People list.
import { useCallback, useEffect, useState } from "react";
import type { Participant } from "../../../protocol/api.ts";
import { messageOf } from "../api/client.ts";
import { getSession, removeParticipant } from "../api/sessions.ts";

/** The people and what can be done with them. */
export interface People {
  people: Participant[] | null;
  error: string | null;
  remove(userId: string): Promise<void>;
}

/** Loads the participants while `open`, again whenever `version` changes (someone joined or went). */
export function usePeople(sessionId: string, open: boolean, version: number): People {
  const [people, setPeople] = useState<Participant[] | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    if (!open) return;
    let current = true;
    getSession(sessionId)
      .then((view) => {
        if (!current) return;
        setPeople(view.participants);
        setError(null);
      })
      .catch((caught: unknown) => current && setError(messageOf(caught)));
    return () => {
      current = false;
    };
  }, [sessionId, open, version]);

  const remove = useCallback(
    async (userId: string) => {
      setError(null);
      try {
        await removeParticipant(sessionId, userId);
        setPeople((old) => (old ?? []).filter((p) => p.person.userId !== userId));
      } catch (caught) {
        setError(messageOf(caught));
      }
    },
    [sessionId],
  );

  return { people, error, remove };
}
