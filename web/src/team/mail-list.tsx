// A mailbox, oldest first: who sent each message, when, whether it was read, and the text.
import type { Mail } from "../../../protocol/team.ts";
import { clockTime, snippet } from "../ui/format.ts";

/** Messages longer than this show their start, with the rest a click away. */
const LONG_MAIL_CHARS = 280;

/** Props of MailList. */
export interface MailListProps {
  mail: readonly Mail[];
  /** What the list is, for screen readers (`Inbox of scout`). */
  label: string;
  /** Said when the mailbox is empty. */
  empty: string;
}

/** The messages of one mailbox. */
export function MailList({ mail, label, empty }: MailListProps) {
  if (mail.length === 0) return <p className="muted panel-empty">{empty}</p>;
  return (
    <ol className="mail-list" aria-label={label}>
      {mail.map((message) => (
        <li
          key={message.id}
          className={message.readAt === null ? "mail mail-unread" : "mail"}
          aria-label={`Message from ${message.from.name}`}
        >
          <div className="mail-head">
            <span className="mail-from">{message.from.name}</span>
            <time className="muted" dateTime={new Date(message.sentAt).toISOString()}>
              {clockTime(message.sentAt)}
            </time>
            {message.readAt === null ? (
              <span className="badge badge-unread">unread</span>
            ) : (
              <span className="mail-read muted">read</span>
            )}
          </div>
          {message.text.length > LONG_MAIL_CHARS ? (
            <details className="mail-more">
              <summary className="mail-text">{snippet(message.text, LONG_MAIL_CHARS)}</summary>
              <p className="mail-text">{message.text}</p>
            </details>
          ) : (
            <p className="mail-text">{message.text}</p>
          )}
        </li>
      ))}
    </ol>
  );
}
