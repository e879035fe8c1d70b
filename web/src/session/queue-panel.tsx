// The prompt queue: what runs now, what waits, and what this tab is still sending.
import { useState } from "react";
import type { Person, Role } from "../../../protocol/events.ts";
import type { QueueState } from "../../../protocol/room.ts";
import { snippet } from "../ui/format.ts";
import { canCancel, canStop } from "./abilities.ts";
import { QueueItem } from "./queue-item.tsx";
import type { PendingPrompt } from "./room-state.ts";

/** Props of QueuePanel. */
export interface QueuePanelProps {
  queue: QueueState;
  pending: PendingPrompt[];
  role: Role;
  me: Person | null;
  live: boolean;
  onCancel: (messageId: string) => void;
  onStop: () => void;
}

/** Wide screens show the queue beside the timeline, open; narrow ones stack it above, folded. */
const SIDE_BY_SIDE = "(min-width: 861px)";

/** The queue with stop and cancel buttons where the role allows them. */
export function QueuePanel({ queue, pending, role, me, live, onCancel, onStop }: QueuePanelProps) {
  const { running, queued } = queue;
  const empty = !running && queued.length === 0 && pending.length === 0;
  const [open, setOpen] = useState(() => window.matchMedia(SIDE_BY_SIDE).matches);
  const count = queued.length + pending.length + (running ? 1 : 0);
  return (
    <details
      className="panel queue-panel"
      open={open}
      onToggle={(event) => setOpen(event.currentTarget.open)}
    >
      <summary className="panel-title">
        <span>Queue</span>
        <span className="count" aria-label={`${count} ${count === 1 ? "prompt" : "prompts"}`}>
          {count}
        </span>
        {running ? <span className="queue-summary-running muted">agent working</span> : null}
      </summary>
      {empty ? (
        <p className="muted panel-empty">
          Nothing queued. Prompts wait here while the agent works.
        </p>
      ) : null}
      <ul className="queue-list">
        {running ? (
          <QueueItem
            author={running.author}
            text={running.text}
            state="running"
            action={
              canStop(role)
                ? {
                    label: "Stop",
                    accessibleLabel: `Stop the agent working on “${snippet(running.text, 40)}”`,
                    onClick: onStop,
                    disabled: !live,
                    danger: true,
                  }
                : undefined
            }
          />
        ) : null}
        {queued.map((prompt) => (
          <QueueItem
            key={prompt.messageId}
            author={prompt.author}
            text={prompt.text}
            state="queued"
            action={
              canCancel(role, prompt, me?.userId)
                ? {
                    label: "Cancel",
                    accessibleLabel: `Cancel the prompt “${snippet(prompt.text, 40)}”`,
                    onClick: () => onCancel(prompt.messageId),
                    disabled: !live,
                  }
                : undefined
            }
          />
        ))}
        {pending.map((prompt) => (
          <QueueItem key={prompt.clientId} author={me} text={prompt.text} state="sending" />
        ))}
      </ul>
    </details>
  );
}
