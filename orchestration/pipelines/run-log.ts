// The handoff log of a run: one line per role starting, handing over, being skipped or failing.
import type { RunStep } from "./run-state.ts";

/** What happened to a step. */
export type HandoffLogKind = "start" | "done" | "failed" | "skipped";

/** One line of the handoff log. */
export interface HandoffLogEntry {
  kind: HandoffLogKind;
  role: string;
  message: string;
  at: number;
}

/** The longest summary quoted in a log line; the full summary stays in the step's handoff. */
export const MAX_LOGGED_SUMMARY_CHARS = 200;

/** The line for a step that starts: "`review` started, round 2 of 3." */
export function startEntry(step: RunStep, maxRounds: number, at: number): HandoffLogEntry {
  const message = `\`${step.role}\` started, round ${step.round} of ${maxRounds}.`;
  return { kind: "start", role: step.role, message, at };
}

/** The line for a step that handed over: "`review` handed over (verdict approved): …". */
export function doneEntry(step: RunStep, at: number): HandoffLogEntry {
  const verdict = step.handoff?.verdict;
  const label = verdict === null || verdict === undefined ? "" : ` (verdict ${verdict})`;
  const summary = firstLine(step.handoff?.summary ?? "");
  const message = `\`${step.role}\` handed over${label}${summary === "" ? "." : `: ${summary}`}`;
  return { kind: "done", role: step.role, message, at };
}

/** The line for a step that was skipped, with why. */
export function skippedEntry(step: RunStep, at: number): HandoffLogEntry {
  const message = `\`${step.role}\` was skipped: ${step.reason ?? "no reason was given"}`;
  return { kind: "skipped", role: step.role, message, at };
}

/** The line for a step that failed, with why. */
export function failedEntry(step: RunStep, at: number): HandoffLogEntry {
  const message = `\`${step.role}\` failed: ${step.reason ?? "no reason was given"}`;
  return { kind: "failed", role: step.role, message, at };
}

/** The line for a step in whatever state it is in now; null for a step still waiting. */
export function logEntry(step: RunStep, maxRounds: number, at: number): HandoffLogEntry | null {
  switch (step.status) {
    case "pending":
      return null;
    case "in_progress":
      return startEntry(step, maxRounds, at);
    case "completed":
      return doneEntry(step, at);
    case "skipped":
      return skippedEntry(step, at);
    case "failed":
      return failedEntry(step, at);
    default:
      return step.status satisfies never;
  }
}

function firstLine(text: string): string {
  const line = text.trim().split("\n")[0]?.trim() ?? "";
  const more = line.length < text.trim().length;
  if (line.length > MAX_LOGGED_SUMMARY_CHARS)
    return `${line.slice(0, MAX_LOGGED_SUMMARY_CHARS - 1)}…`;
  return more ? `${line} …` : line;
}
