// The banner that says the live connection is down, or that I am no longer in the session.
import type { RemovalReason } from "../../../protocol/events.ts";
import { Link } from "../router/link.tsx";
import type { ConnectionStatus } from "./room-state.ts";

/** Props of ConnectionBanner. */
export interface ConnectionBannerProps {
  status: ConnectionStatus;
  reconnecting: boolean;
  /** Why the room closed my socket for good, when I left or was removed. */
  removal: RemovalReason | null;
}

const CLOSED_TEXT: Record<RemovalReason | "refused", string> = {
  removed: "The owner removed you from this session. To come back, ask them for a new share link.",
  left: "You left this session. To come back, ask its owner for a new share link.",
  refused: "You are no longer a participant in this session. Reload to check again.",
};

/** Shown while reconnecting, or when the room refused the connection for good. */
export function ConnectionBanner({ status, reconnecting, removal }: ConnectionBannerProps) {
  if (status === "closed") {
    return (
      <div className="banner banner-bad" role="alert">
        <span>{CLOSED_TEXT[removal ?? "refused"]}</span>
        {removal ? (
          <Link href="/" className="banner-action">
            Back to your sessions
          </Link>
        ) : null}
      </div>
    );
  }
  if (!reconnecting) return null;
  return (
    <div className="banner banner-warn" role="status">
      <span className="spinner spinner-small" aria-hidden="true" />
      Offline — reconnecting…
    </div>
  );
}
