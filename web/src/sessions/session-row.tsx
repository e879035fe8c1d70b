// One session in the list.
import type { SessionSummary } from "../api/sessions.ts";
import { Link } from "../router/link.tsx";
import { Avatar } from "../ui/avatar.tsx";
import { relativeTime } from "../ui/format.ts";
import { RoleBadge } from "../ui/role-badge.tsx";
import { StatusBadge } from "../ui/status-badge.tsx";

/** How many faces a row shows before "+N". */
const FACES = 4;

/** A row: title (the link), repository, status, pull request, my role, who is in it, last activity. */
export function SessionRow({ session, now }: { session: SessionSummary; now: number }) {
  return (
    <li className="link-row session-row">
      <Link href={`/sessions/${session.id}`} className="link-row-title">
        {session.title}
      </Link>
      <span className="session-row-repo mono">{session.repo}</span>
      <span className="session-row-badges">
        <StatusBadge state={session.status} />
        {session.pullRequest ? (
          <span className={`pr-state pr-state-${session.pullRequest.state}`}>
            PR #{session.pullRequest.number} {session.pullRequest.state}
          </span>
        ) : null}
        <RoleBadge role={session.role} />
      </span>
      <span className="session-row-people" aria-label={`${session.people.length} in this session`}>
        {session.people.slice(0, FACES).map((person) => (
          <Avatar key={person.userId} person={person} size="sm" />
        ))}
        {session.people.length > FACES ? (
          <span className="muted">+{session.people.length - FACES}</span>
        ) : null}
      </span>
      <time className="session-row-time muted" dateTime={new Date(session.updatedAt).toISOString()}>
        {relativeTime(session.updatedAt, now)}
      </time>
    </li>
  );
}
