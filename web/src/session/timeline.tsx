// The session's timeline, oldest first, following new events and streamed work while the reader is at the bottom.
import { useCallback, useLayoutEffect, useRef } from "react";
import type { QueuedPrompt, SessionEvent } from "../../../protocol/events.ts";
import { StateMessage } from "../ui/state-message.tsx";
import { describeEvent } from "./describe-event.ts";
import { PromptCard } from "./prompt-card.tsx";
import { TimelineNote } from "./timeline-note.tsx";
import { TurnView } from "./turn/turn-view.tsx";
import type { Turn } from "./turn-state.ts";

/** Props of Timeline. */
export interface TimelineProps {
  events: SessionEvent[];
  prompts: Record<string, QueuedPrompt>;
  turns: Record<string, Turn>;
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

/**
 * Keeps the page at the bottom as the timeline grows, but only while the reader was already there.
 * Returns the ref for the list, whose size changes also as text streams in without new events.
 */
function useFollowBottom(count: number) {
  const following = useRef(true);
  const shown = useRef(0);

  useLayoutEffect(() => {
    const onScroll = () => (following.current = nearBottom());
    window.addEventListener("scroll", onScroll, { passive: true });
    return () => window.removeEventListener("scroll", onScroll);
  }, []);

  useLayoutEffect(() => {
    if (count !== shown.current && following.current) {
      window.scrollTo({ top: document.documentElement.scrollHeight });
    }
    shown.current = count;
  }, [count]);

  return useCallback((list: HTMLOListElement | null) => {
    if (!list || typeof ResizeObserver === "undefined") return;
    const observer = new ResizeObserver(() => {
      if (following.current) window.scrollTo({ top: document.documentElement.scrollHeight });
    });
    observer.observe(list);
    return () => observer.disconnect();
  }, []);
}

/** Every event as a prompt card, the agent's turn, or a note. */
export function Timeline({ events, prompts, turns, myUserId, loading }: TimelineProps) {
  const list = useFollowBottom(events.length);

  if (events.length === 0) {
    return loading ? (
      <StateMessage kind="loading" title="Loading the timeline…" />
    ) : (
      <StateMessage kind="empty" title="Nothing has happened yet." />
    );
  }
  return (
    <ol className="timeline" aria-label="Timeline" ref={list}>
      {events.map((event) => {
        const entry = describeEvent(event, prompts);
        if (entry.kind === "turn") {
          const turn = turns[entry.messageId];
          // A turn shows once, where its first event is; its other events render inside it.
          if (!turn || turn.anchorSeq !== event.seq) return null;
          return (
            <li key={event.seq} className="timeline-item timeline-turn">
              <TurnView turn={turn} prompt={prompts[entry.messageId]} />
            </li>
          );
        }
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
