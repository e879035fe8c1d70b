// One participant in the People list: avatar, name, role, and the owner's Remove with a confirmation.
import { useState } from "react";
import type { Participant } from "../../../protocol/api.ts";
import { Avatar } from "../ui/avatar.tsx";
import { displayName } from "../ui/format.ts";
import { RoleBadge } from "../ui/role-badge.tsx";
import { useAction } from "../ui/use-action.ts";

/** Props of PersonItem. */
export interface PersonItemProps {
  participant: Participant;
  isMe: boolean;
  /** Set when I may remove this person. */
  onRemove: ((userId: string) => Promise<void>) | null;
}

/** A person row; Remove asks once more before it takes the person out. */
export function PersonItem({ participant, isMe, onRemove }: PersonItemProps) {
  const { person, role } = participant;
  const name = displayName(person);
  const [confirming, setConfirming] = useState(false);
  const { busy, run } = useAction();

  const remove = async () => {
    if (!onRemove) return;
    await run(async () => {
      await onRemove(person.userId);
      setConfirming(false);
    });
  };

  return (
    <li className="person-item">
      <Avatar person={person} size="sm" />
      <span className="person-item-name">
        <span>
          {name}
          {isMe ? <span className="muted"> (you)</span> : null}
        </span>
        {name !== person.login ? (
          <span className="muted person-item-login">{person.login}</span>
        ) : null}
      </span>
      <RoleBadge role={role} />
      {onRemove && !confirming ? (
        <button
          type="button"
          className="button button-small"
          onClick={() => setConfirming(true)}
          aria-label={`Remove ${name} from the session`}
        >
          Remove
        </button>
      ) : null}
      {onRemove && confirming ? (
        <span className="person-item-confirm" role="group" aria-label={`Remove ${name}?`}>
          <button
            type="button"
            className="button button-small button-danger"
            onClick={remove}
            disabled={busy}
          >
            {busy ? "Removing…" : `Remove ${name}`}
          </button>
          <button
            type="button"
            className="button button-small button-quiet"
            onClick={() => setConfirming(false)}
            disabled={busy}
          >
            Cancel
          </button>
        </span>
      ) : null}
    </li>
  );
}
