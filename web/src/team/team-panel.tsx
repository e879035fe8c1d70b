// The team panel: the session that started this one, this session's own name and state, the
// sessions it started, and the mailboxes of all of them.
import "../styles/side-panels.css";
import "../styles/team.css";
import type { TeamView } from "../../../protocol/team.ts";
import { Link } from "../router/link.tsx";
import { MailList } from "./mail-list.tsx";
import { MemberRow } from "./member-row.tsx";
import { MemberStateBadge } from "./member-state-badge.tsx";
import { SidePanel } from "./side-panel.tsx";

/** The whole team as the people in this session see it. */
export default function TeamPanel({ team }: { team: TeamView }) {
  const { self, parent, children, inbox, inboxes } = team;
  const working = children.filter((child) => child.state === "working").length;
  const unread = inbox.filter((mail) => mail.readAt === null).length;
  return (
    <SidePanel
      title="Team"
      className="team-panel"
      count={
        children.length > 0
          ? {
              value: children.length,
              label: `${children.length} ${children.length === 1 ? "session" : "sessions"} started`,
            }
          : undefined
      }
      note={working > 0 ? `${working} working` : null}
    >
      {parent ? (
        <p className="team-parent">
          <span className="muted">Started by </span>
          <Link
            href={`/sessions/${encodeURIComponent(parent.sessionId)}`}
            className="team-parent-link"
            aria-label={`Parent session: ${parent.title}`}
          >
            {parent.title}
          </Link>{" "}
          <span className="mono muted">{parent.repo}</span>
        </p>
      ) : null}
      <p className="team-self">
        <span className="muted">This session is </span>
        <strong className="team-self-name">{self.name}</strong>
        {self.role ? <span className="muted"> · {self.role}</span> : null}{" "}
        <MemberStateBadge state={self.state} />
      </p>

      {children.length > 0 ? (
        <section className="team-section" aria-labelledby="team-children-title">
          <h3 className="section-heading" id="team-children-title">
            Started by this session
          </h3>
          <ul className="team-members">
            {children.map((child) => (
              <MemberRow key={child.sessionId} member={child} />
            ))}
          </ul>
        </section>
      ) : null}

      <section className="team-section" aria-labelledby="team-inbox-title">
        <h3 className="section-heading" id="team-inbox-title">
          Inbox {unread > 0 ? <span className="badge badge-unread">{unread} unread</span> : null}
        </h3>
        <MailList mail={inbox} label="This session’s inbox" empty="No messages yet." />
      </section>

      {inboxes.map((child) => (
        <details key={child.sessionId} className="fold team-child-inbox">
          <summary>
            Inbox of <strong>{child.name}</strong>{" "}
            <span className="count">{child.mail ? child.mail.length : "?"}</span>
          </summary>
          {child.mail ? (
            <MailList mail={child.mail} label={`Inbox of ${child.name}`} empty="No messages." />
          ) : (
            <p className="muted panel-empty">This inbox could not be read just now.</p>
          )}
        </details>
      ))}
    </SidePanel>
  );
}
