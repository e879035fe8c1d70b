// One session this one started: its name and role, what it works on, its state and last words.
import type { LinkStatus } from "../../../protocol/team.ts";
import { Link } from "../router/link.tsx";
import { snippet } from "../ui/format.ts";
import { MemberStateBadge } from "./member-state-badge.tsx";

/** A summary longer than this shows its start and unfolds to the rest. */
const SUMMARY_CHARS = 90;

const LAST_TURN_WORDS = { done: "done", stopped: "stopped", failed: "failed" } as const;

/** A child in the roster, linking to its session page. */
export function MemberRow({ member }: { member: LinkStatus }) {
  return (
    <li className="team-member" aria-label={`Teammate ${member.name}`}>
      <div className="team-member-head">
        <Link
          href={`/sessions/${encodeURIComponent(member.sessionId)}`}
          className="team-member-name"
        >
          {member.name}
        </Link>
        {member.role ? <span className="team-member-role muted">{member.role}</span> : null}
        <MemberStateBadge state={member.state} />
      </div>
      <p className="team-member-title">
        {member.title} <span className="mono muted">{member.repo}</span>
      </p>
      {member.lastTurn ? (
        <p className={`team-member-turn team-turn-${member.lastTurn} muted`}>
          Last turn {LAST_TURN_WORDS[member.lastTurn]}
        </p>
      ) : null}
      {member.summary && member.summary.length > SUMMARY_CHARS ? (
        <details className="team-summary">
          <summary>{snippet(member.summary, SUMMARY_CHARS)}</summary>
          <p>{member.summary}</p>
        </details>
      ) : member.summary ? (
        <p className="team-summary">{member.summary}</p>
      ) : null}
    </li>
  );
}
