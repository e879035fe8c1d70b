// A one-line timeline entry: someone joined, the agent started, a link was created.
import type { Person } from "../../../protocol/events.ts";
import { Avatar } from "../ui/avatar.tsx";
import { clockTime } from "../ui/format.ts";
import type { Tone } from "./describe-event.ts";

/** Props of TimelineNote. */
export interface TimelineNoteProps {
  text: string;
  tone: Tone;
  person: Person | null;
  at: number;
}

/** Shows a short line with the person's avatar (or a coloured marker for the agent) and the time. */
export function TimelineNote({ text, tone, person, at }: TimelineNoteProps) {
  return (
    <p className={`timeline-note tone-${tone}`}>
      {person ? (
        <Avatar person={person} size="sm" />
      ) : (
        <span className="timeline-note-marker" aria-hidden="true" />
      )}
      <span className="timeline-note-text">{text}</span>
      <time className="muted" dateTime={new Date(at).toISOString()}>
        {clockTime(at)}
      </time>
    </p>
  );
}
