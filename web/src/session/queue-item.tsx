// One prompt waiting in (or running from) the queue.
import type { Person } from "../../../protocol/events.ts";
import { Avatar } from "../ui/avatar.tsx";
import { displayName, snippet } from "../ui/format.ts";
import { StatusBadge, type BadgeState } from "../ui/status-badge.tsx";

/** Props of QueueItem. */
export interface QueueItemProps {
  author: Person | null;
  text: string;
  state: BadgeState;
  /** The button that acts on this prompt (cancel, stop), if the viewer may use one. */
  action?:
    | {
        label: string;
        accessibleLabel: string;
        onClick: () => void;
        disabled: boolean;
        danger?: boolean;
      }
    | undefined;
}

/** Author, first words, state and an optional action button. */
export function QueueItem({ author, text, state, action }: QueueItemProps) {
  return (
    <li className="queue-item">
      {author ? (
        <Avatar person={author} size="sm" />
      ) : (
        <span className="avatar avatar-sm" aria-hidden="true" />
      )}
      <div className="queue-item-body">
        <span className="queue-item-head">
          <span className="queue-item-author">{author ? displayName(author) : "You"}</span>
          <StatusBadge state={state} />
        </span>
        <span className="queue-item-text" title={text}>
          {snippet(text, 160)}
        </span>
      </div>
      {action ? (
        <button
          type="button"
          className={`button button-small${action.danger ? " button-danger" : ""}`}
          onClick={action.onClick}
          disabled={action.disabled}
          aria-label={action.accessibleLabel}
        >
          {action.label}
        </button>
      ) : null}
    </li>
  );
}
