// The top of a session: title, repository, my role, spend so far, who is here, settings, sharing
// and leaving.
import type { Role } from "../../../protocol/events.ts";
import type { PresenceEntry } from "../../../protocol/room.ts";
import { Link } from "../router/link.tsx";
import { SessionSettings } from "../settings/session-settings.tsx";
import { RoleBadge } from "../ui/role-badge.tsx";
import { LeaveSession } from "./leave-session.tsx";
import { PresenceBar } from "./presence-bar.tsx";
import { SessionUsage } from "./session-usage.tsx";
import type { AgentState } from "./turn-state.ts";

/** Props of SessionHeader. */
export interface SessionHeaderProps {
  sessionId: string;
  title: string;
  repo: string;
  role: Role;
  presence: PresenceEntry[];
  myUserId: string | undefined;
  agent: AgentState;
  onShare: (() => void) | null;
  /** My user id while I may leave the session (everyone but the owner); null otherwise. */
  leaveAs: string | null;
}

/** The session's heading block. */
export function SessionHeader({
  sessionId,
  title,
  repo,
  role,
  presence,
  myUserId,
  agent,
  onShare,
  leaveAs,
}: SessionHeaderProps) {
  return (
    <div className="session-head">
      <Link href="/" className="back-link">
        ← All sessions
      </Link>
      <div className="session-head-main">
        <div className="session-head-text">
          <h1 className="session-title">{title}</h1>
          <p className="session-meta">
            <span className="mono">{repo}</span>
            <RoleBadge role={role} prefix="you are" />
            <SessionUsage agent={agent} />
          </p>
        </div>
        <div className="session-head-side">
          <PresenceBar people={presence} myUserId={myUserId} />
          <SessionSettings sessionId={sessionId} role={role} settings={agent.settings} />
          {onShare ? (
            <button type="button" className="button" onClick={onShare}>
              Share
            </button>
          ) : null}
          {leaveAs ? <LeaveSession sessionId={sessionId} myUserId={leaveAs} /> : null}
        </div>
      </div>
    </div>
  );
}
