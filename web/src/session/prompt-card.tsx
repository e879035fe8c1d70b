// A prompt in the timeline: who asked, when, what, and how far it got.
import type { QueuedPrompt } from "../../../protocol/events.ts";
import { Avatar } from "../ui/avatar.tsx";
import { clockTime, displayName } from "../ui/format.ts";
import { StatusBadge } from "../ui/status-badge.tsx";

/** Shows one prompt with its author and current state. */
export function PromptCard({ prompt, mine }: { prompt: QueuedPrompt; mine: boolean }) {
  return (
    <article
      className={`prompt-card${mine ? " prompt-card-mine" : ""}`}
      aria-label={`Prompt from ${displayName(prompt.author)}`}
    >
      <Avatar person={prompt.author} />
      <div className="prompt-card-body">
        <header className="prompt-card-head">
          <span className="prompt-card-author">{displayName(prompt.author)}</span>
          {mine ? <span className="muted">(you)</span> : null}
          <time className="muted" dateTime={new Date(prompt.createdAt).toISOString()}>
            {clockTime(prompt.createdAt)}
          </time>
          <StatusBadge state={prompt.state} />
        </header>
        <p className="prompt-card-text">{prompt.text}</p>
      </div>
    </article>
  );
}
