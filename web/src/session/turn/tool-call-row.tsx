// One tool call as a compact row that unfolds to its arguments and output.
import { memo, useId, useState } from "react";
import { formatDuration } from "../../ui/format.ts";
import type { ToolItem } from "../turn-state.ts";
import { ToolOutput } from "./tool-output.tsx";
import { formatInput, summarizeInput, toolGlyph } from "./tool-summary.ts";

const STATUS_WORDS: Record<ToolItem["status"], string> = {
  running: "running",
  ok: "done",
  error: "failed",
  blocked: "blocked",
  interrupted: "interrupted",
  stopped: "stopped",
};

const STATUS_GLYPHS: Record<ToolItem["status"], string> = {
  running: "",
  ok: "✓",
  error: "✕",
  blocked: "⊘",
  interrupted: "↯",
  stopped: "■",
};

/** Shows a tool call; a click (or Enter) on the row shows what it was given and what it returned. */
export const ToolCallRow = memo(function ToolCallRow({ item }: { item: ToolItem }) {
  const [open, setOpen] = useState(false);
  const bodyId = useId();
  const summary = summarizeInput(item.input);
  const running = item.status === "running";
  return (
    <div className={`tool-call tool-status-${item.status}`}>
      <button
        type="button"
        className="tool-call-row"
        aria-expanded={open}
        aria-label={[
          item.name,
          summary,
          STATUS_WORDS[item.status],
          item.durationMs !== null ? formatDuration(item.durationMs) : "",
        ]
          .filter(Boolean)
          .join(", ")}
        aria-controls={bodyId}
        onClick={() => setOpen((was) => !was)}
      >
        <span className="tool-call-glyph" aria-hidden="true">
          {toolGlyph(item.name)}
        </span>
        <span className="tool-call-name">{item.name}</span>
        <span className="tool-call-summary" title={summary}>
          {summary}
        </span>
        <span className="tool-call-status">
          {running ? (
            <span className="spinner spinner-small" aria-hidden="true" />
          ) : (
            <span aria-hidden="true">{STATUS_GLYPHS[item.status]}</span>
          )}
          <span className={item.status === "ok" ? "visually-hidden" : undefined}>
            {STATUS_WORDS[item.status]}
          </span>
        </span>
        <span className="tool-call-duration">
          {item.durationMs !== null ? formatDuration(item.durationMs) : ""}
        </span>
      </button>
      <div id={bodyId} className="tool-call-body" hidden={!open}>
        {open ? <ToolCallDetails item={item} /> : null}
      </div>
    </div>
  );
});

function ToolCallDetails({ item }: { item: ToolItem }) {
  const running = item.status === "running";
  return (
    <>
      <p className="tool-call-label">Arguments</p>
      <ToolOutput text={formatInput(item.input)} label={`Arguments of ${item.name}`} />
      <p className="tool-call-label">{running ? "Output so far" : "Output"}</p>
      {running ? (
        item.liveOutput ? (
          <ToolOutput text={item.liveOutput} label={`Live output of ${item.name}`} live />
        ) : (
          <p className="muted tool-call-empty">No output yet.</p>
        )
      ) : item.output ? (
        <ToolOutput text={item.output} label={`Output of ${item.name}`} />
      ) : (
        <p className="muted tool-call-empty">No output.</p>
      )}
      {item.truncated ? (
        <p className="muted tool-call-note">The output was cut to fit the timeline.</p>
      ) : null}
      {item.annotations.length > 0 ? (
        <ul className="tool-call-annotations">
          {item.annotations.map((note, i) => (
            <li key={i}>{note}</li>
          ))}
        </ul>
      ) : null}
    </>
  );
}
