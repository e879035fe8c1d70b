// "Bob is typing…" under the timeline.
import type { Person } from "../../../protocol/events.ts";
import { displayName } from "../ui/format.ts";

function sentence(people: Person[]): string {
  const names = people.map(displayName);
  if (names.length === 1) return `${names[0]} is typing…`;
  if (names.length === 2) return `${names[0]} and ${names[1]} are typing…`;
  return `${names.length} people are typing…`;
}

/** Announces other people's typing politely; keeps its height so the page does not jump. */
export function TypingIndicator({ people }: { people: Person[] }) {
  return (
    <p className="typing-indicator muted" aria-live="polite">
      {people.length > 0 ? (
        <>
          <span className="typing-dots" aria-hidden="true">
            <span />
            <span />
            <span />
          </span>
          {sentence(people)}
        </>
      ) : null}
    </p>
  );
}
