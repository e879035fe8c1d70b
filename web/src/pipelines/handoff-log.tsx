// A run's handoff log: each role's start, handover, skip or failure, oldest first.
import type { HandoffLogEntryView } from "../../../protocol/pipelines.ts";
import { clockTime } from "../ui/format.ts";
import { InlineCode } from "./inline-code.tsx";
import { LOG_WORDS } from "./status-words.ts";

/** The log lines of one run; a coloured mark gives each line's kind. */
export function HandoffLog({ log }: { log: readonly HandoffLogEntryView[] }) {
  if (log.length === 0) return <p className="muted">Nothing has happened yet.</p>;
  return (
    <ol className="handoff-log" aria-label="Handoff log">
      {log.map((entry, index) => (
        <li key={`${entry.at}-${index}`} className={`handoff-entry handoff-${entry.kind}`}>
          <time className="handoff-time muted" dateTime={new Date(entry.at).toISOString()}>
            {clockTime(entry.at)}
          </time>
          <span className="handoff-mark" title={LOG_WORDS[entry.kind]} aria-hidden="true" />
          <span className="handoff-what">
            <span className="visually-hidden">
              {entry.role} {LOG_WORDS[entry.kind]}:{" "}
            </span>
            {entry.message ? (
              <InlineCode text={entry.message} />
            ) : (
              `${entry.role} ${LOG_WORDS[entry.kind]}`
            )}
          </span>
        </li>
      ))}
    </ol>
  );
}
