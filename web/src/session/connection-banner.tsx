// The banner that says the live connection is down.
import type { ConnectionStatus } from "./room-state.ts";

/** Props of ConnectionBanner. */
export interface ConnectionBannerProps {
  status: ConnectionStatus;
  reconnecting: boolean;
}

/** Shown while reconnecting, or when the room refused the connection for good. */
export function ConnectionBanner({ status, reconnecting }: ConnectionBannerProps) {
  if (status === "closed") {
    return (
      <div className="banner banner-bad" role="alert">
        You are no longer a participant in this session. Reload to check again.
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
