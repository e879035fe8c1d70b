// The session's timeline, oldest first, following new events while the reader is at the bottom.
import { useLayoutEffect, useRef } from "react";
import type { QueuedPrompt, SessionEvent } from "../../../protocol/events.ts";
import { StateMessage } from "../ui/state-message.tsx";
import { describeEvent } from "./describe-event.ts";
import { PromptCard } from "./prompt-card.tsx";
import { TimelineNote } from "./timeline-note.tsx";

/** Props of Timeline. */
export interface TimelineProps {
  events: SessionEvent[];
  prompts: Record<string, QueuedPrompt>;
  myUserId: string | undefined;
  loading: boolean;
}

/** How close to the bottom (px) still counts as "reading the newest". */
const FOLLOW_SLACK_PX = 160;

function nearBottom(): boolean {
  return (
    window.innerHeight + window.scrollY >= document.documentElement.scrollHeight - FOLLOW_SLACK_PX
  );
}

/** Every event as a prompt card or a note. */
export function Timeline({ events, prompts, myUserId, loading }: TimelineProps) {
  const following = useRef(true);
  const shown = useRef(0);

  useLayoutEffect(() => {
    const onScroll = () => (following.current = nearBottom());
    window.addEventListener("scroll", onScroll, { passive: true });
    return () => window.removeEventListener("scroll", onScroll);
  }, []);

  useLayoutEffect(() => {
    if (events.length !== shown.current && following.current) {
      window.scrollTo({ top: document.documentElement.scrollHeight });
    }
    shown.current = events.length;
  }, [events.length]);

  if (events.length === 0) {
    return loading ? (
      <StateMessage kind="loading" title="Loading the timeline…" />
    ) : (
      <StateMessage kind="empty" title="Nothing has happened yet." />
    );
  }
  return (
    <ol className="timeline" aria-label="Timeline">
      {events.map((event) => {
        const entry = describeEvent(event, prompts);
        return (
          <li key={event.seq} className={`timeline-item timeline-${entry.kind}`}>
            {entry.kind === "prompt" ? (
              <PromptCard prompt={entry.prompt} mine={entry.prompt.author.userId === myUserId} />
            ) : (
              <TimelineNote
                text={entry.text}
                tone={entry.tone}
                person={entry.person}
                at={event.at}
              />
            )}
          </li>
        );
      })}
    </ol>
  );
}
