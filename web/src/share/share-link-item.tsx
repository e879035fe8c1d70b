// One existing share link: its role, age and whether it still works.
import type { ShareLink } from "../../../protocol/api.ts";
import { relativeTime } from "../ui/format.ts";

/** Props of ShareLinkItem. */
export interface ShareLinkItemProps {
  link: ShareLink;
  now: number;
  onRevoke: (linkId: string) => void;
}

/** A link row with a revoke button while the link is active. */
export function ShareLinkItem({ link, now, onRevoke }: ShareLinkItemProps) {
  const expired = link.expiresAt !== null && link.expiresAt <= now;
  const state = link.revokedAt !== null ? "revoked" : expired ? "expired" : "active";
  return (
    <li className={`share-link share-link-${state}`}>
      <span className={`badge badge-role-${link.role}`}>{link.role}</span>
      <span className="share-link-when muted">created {relativeTime(link.createdAt, now)}</span>
      {state === "active" ? (
        <button
          type="button"
          className="button button-small button-danger"
          onClick={() => onRevoke(link.id)}
          aria-label={`Revoke the ${link.role} link created ${relativeTime(link.createdAt, now)}`}
        >
          Revoke
        </button>
      ) : (
        <span className="muted share-link-state">{state}</span>
      )}
    </li>
  );
}
