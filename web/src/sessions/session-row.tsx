// One session in the list.
import type { SessionSummary } from "../api/sessions.ts";
import { Link } from "../router/link.tsx";
import { relativeTime } from "../ui/format.ts";
import { RoleBadge } from "../ui/role-badge.tsx";
import { StatusBadge } from "../ui/status-badge.tsx";

/** A row: title (the link), repository, status, my role, last activity. */
export function SessionRow({ session, now }: { session: SessionSummary; now: number }) {
  return (
    <li className="session-row">
      <Link href={`/sessions/${session.id}`} className="session-row-title">
        {session.title}
      </Link>
      <span className="session-row-repo mono">{session.repo}</span>
      <span className="session-row-badges">
        <StatusBadge state={session.status} />
        <RoleBadge role={session.role} />
      </span>
      <time className="session-row-time muted" dateTime={new Date(session.updatedAt).toISOString()}>
        {relativeTime(session.updatedAt, now)}
      </time>
    </li>
  );
}
