// Who takes part in the session, with their roles; the owner removes people from here.
import type { Participant } from "../../../protocol/api.ts";
import type { Role } from "../../../protocol/events.ts";
import { canRemove } from "../session/abilities.ts";
import { StateMessage } from "../ui/state-message.tsx";
import { PersonItem } from "./person-item.tsx";

/** Props of PeopleList. */
export interface PeopleListProps {
  people: Participant[] | null;
  myUserId: string | undefined;
  myRole: Role;
  onRemove: (userId: string) => Promise<void>;
}

/** The participants in the order they joined. */
export function PeopleList({ people, myUserId, myRole, onRemove }: PeopleListProps) {
  if (people === null) return <StateMessage kind="loading" title="Loading people…" />;
  return (
    <ul className="people-list" aria-label="People in this session">
      {people.map((participant) => (
        <PersonItem
          key={participant.person.userId}
          participant={participant}
          isMe={participant.person.userId === myUserId}
          onRemove={canRemove(myRole, myUserId, participant) ? onRemove : null}
        />
      ))}
    </ul>
  );
}
