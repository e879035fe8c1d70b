// Who is in the room now, with a ring around anyone typing.
import type { PresenceEntry } from "../../../protocol/room.ts";
import { Avatar } from "../ui/avatar.tsx";

/** Props of PresenceBar. */
export interface PresenceBarProps {
  people: PresenceEntry[];
  myUserId: string | undefined;
}

/** A row of avatars of connected people. */
export function PresenceBar({ people, myUserId }: PresenceBarProps) {
  if (people.length === 0) return null;
  return (
    <ul
      className="presence"
      aria-label={`${people.length} ${people.length === 1 ? "person" : "people"} here now`}
    >
      {people.map((entry) => {
        const notes = [
          entry.person.userId === myUserId ? "you" : null,
          entry.role,
          entry.typing ? "typing" : null,
        ];
        return (
          <li key={entry.person.userId}>
            <Avatar
              person={entry.person}
              size="sm"
              typing={entry.typing}
              note={notes.filter(Boolean).join(", ")}
            />
          </li>
        );
      })}
    </ul>
  );
}
