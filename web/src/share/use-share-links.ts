// The share links of a session, with create and revoke, for the share dialog.
import { useCallback, useEffect, useState } from "react";
import type { ShareLink } from "../../../protocol/api.ts";
import type { ShareRole } from "../../../protocol/events.ts";
import { messageOf } from "../api/client.ts";
import {
  createShareLink,
  listShareLinks,
  revokeShareLink,
  type CreatedShareLink,
} from "../api/sessions.ts";

/** The links and what can be done with them. */
export interface ShareLinks {
  links: ShareLink[] | null;
  error: string | null;
  create(role: ShareRole): Promise<CreatedShareLink | null>;
  revoke(linkId: string): Promise<void>;
}

/** Loads the links when `open` turns true. */
export function useShareLinks(sessionId: string, open: boolean): ShareLinks {
  const [links, setLinks] = useState<ShareLink[] | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    if (!open) return;
    let current = true;
    setError(null);
    listShareLinks(sessionId)
      .then((loaded) => current && setLinks(loaded))
      .catch((caught: unknown) => current && setError(messageOf(caught)));
    return () => {
      current = false;
    };
  }, [sessionId, open]);

  const create = useCallback(
    async (role: ShareRole) => {
      setError(null);
      try {
        const created = await createShareLink(sessionId, role);
        setLinks((old) => [...(old ?? []), created.link]);
        return created;
      } catch (caught) {
        setError(messageOf(caught));
        return null;
      }
    },
    [sessionId],
  );

  const revoke = useCallback(
    async (linkId: string) => {
      setError(null);
      try {
        const revoked = await revokeShareLink(sessionId, linkId);
        setLinks((old) => (old ?? []).map((link) => (link.id === revoked.id ? revoked : link)));
      } catch (caught) {
        setError(messageOf(caught));
      }
    },
    [sessionId],
  );

  return { links, error, create, revoke };
}
