// A run's handoff log: each role's start, handover, skip or failure, oldest first.
import type { HandoffLogEntryView } from "../../../protocol/pipelines.ts";
import { clockTime } from "../ui/format.ts";
import { LOG_WORDS } from "./status-words.ts";

/** The log lines of one run. */
export function HandoffLog({ log }: { log: readonly HandoffLogEntryView[] }) {
  if (log.length === 0) return <p className="muted">Nothing has happened yet.</p>;
  return (
    <ol className="handoff-log" aria-label="Handoff log">
      {log.map((entry, index) => (
        <li key={`${entry.at}-${index}`} className={`handoff-entry handoff-${entry.kind}`}>
          <time className="handoff-time muted" dateTime={new Date(entry.at).toISOString()}>
            {clockTime(entry.at)}
          </time>
          <span className="handoff-what">
            <strong>{entry.role}</strong> {LOG_WORDS[entry.kind]}
            {entry.message ? <span className="handoff-message"> — {entry.message}</span> : null}
          </span>
        </li>
      ))}
    </ol>
  );
}
