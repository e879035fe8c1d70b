// The agent's turn on one prompt: its text, tool calls, notices and commits, in order.
import { memo } from "react";
import type { QueuedPrompt } from "../../../../protocol/events.ts";
import { displayName, snippet } from "../../ui/format.ts";
import type { Turn, TurnItem } from "../turn-state.ts";
import { CommitRow } from "./commit-row.tsx";
import { NoticeRow } from "./notice-row.tsx";
import { RehearsalBadge } from "./rehearsal-badge.tsx";
import { TextBlock } from "./text-block.tsx";
import { ToolCallRow } from "./tool-call-row.tsx";
import { TurnFooter } from "./turn-footer.tsx";

/** Props of TurnView. */
export interface TurnViewProps {
  turn: Turn;
  /** The prompt the turn answers, when the timeline knows it. */
  prompt: QueuedPrompt | undefined;
}

function renderItem(item: TurnItem) {
  switch (item.kind) {
    case "text":
      return <TextBlock item={item} />;
    case "tool":
      return <ToolCallRow item={item} />;
    case "notice":
      return <NoticeRow level={item.level} text={item.text} />;
    case "commit":
      return <CommitRow item={item} />;
    case "resumed":
      return (
        <NoticeRow level="info" text="Resumed from a checkpoint after the session restarted." />
      );
    default:
      item satisfies never;
      return null;
  }
}

/** Shows a turn; rows keep their identity while it streams, so nothing re-mounts or jumps. */
export const TurnView = memo(function TurnView({ turn, prompt }: TurnViewProps) {
  const about = prompt
    ? `${displayName(prompt.author)}’s prompt “${snippet(prompt.text, 48)}”`
    : "a prompt";
  return (
    <article className="turn" aria-label={`The agent’s work on ${about}`}>
      <header className="turn-head">
        <span className="turn-mark" aria-hidden="true">
          ◆
        </span>
        <span className="turn-agent">Agent</span>
        {turn.model ? <span className="turn-model muted mono">{turn.model}</span> : null}
        {turn.rehearsal ? <RehearsalBadge /> : null}
      </header>
      {turn.items.length > 0 ? (
        <ol className="turn-items">
          {turn.items.map((item) => (
            <li key={`${item.kind}:${item.key}`} className={`turn-item turn-item-${item.kind}`}>
              {renderItem(item)}
            </li>
          ))}
        </ol>
      ) : null}
      <TurnFooter turn={turn} />
    </article>
  );
});
