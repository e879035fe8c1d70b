// Decides conditions: from the handoff alone, or through probes into the session's sandbox.
import { listWords } from "../../sandbox-images/recipe-messages.ts";
import type { Condition, SubjectCondition } from "./condition.ts";

/** What conditions are decided against: the fields handed over so far and the handing-over role's verdict. */
export interface ContractSubject {
  fields: Record<string, string>;
  verdict: string | null;
}

/** The port into the session's sandbox that `changes` and `command` conditions need. */
export interface ContractProbe {
  /** Whether the workspace differs from the base, committed or not. */
  changes(): Promise<boolean>;
  /** Runs argv in the workspace; a non-zero exit is a value, not an error. */
  command(argv: string[]): Promise<{ exitCode: number; output: string }>;
}

/** One condition that does not hold, with a sentence saying why. */
export interface FailedCondition {
  condition: Condition;
  reason: string;
}

/** Every condition holds, or the ones that do not. */
export type ContractCheck = { ok: true } | { ok: false; failed: FailedCondition[] };

/** The most output quoted from a failing command. */
export const MAX_QUOTED_OUTPUT_BYTES = 1_024;

/** Checks every condition in order, calling the probe only for the kinds that need it. */
export async function checkConditions(
  conditions: readonly Condition[],
  subject: ContractSubject,
  probe: ContractProbe,
): Promise<ContractCheck> {
  const failed: FailedCondition[] = [];
  let changes: boolean | undefined;
  for (const condition of conditions) {
    let reason: string | null;
    if ("changes" in condition) {
      changes ??= await probe.changes();
      reason =
        changes === condition.changes
          ? null
          : changes
            ? "the workspace has changes against the base, and none were expected"
            : "the workspace has no changes against the base";
    } else if ("command" in condition) {
      const { exitCode, output } = await probe.command(condition.command);
      reason = exitCode === 0 ? null : commandFailure(condition.command, exitCode, output);
    } else reason = subjectFailure(condition, subject);
    if (reason !== null) failed.push({ condition, reason });
  }
  return failed.length === 0 ? { ok: true } : { ok: false, failed };
}

/** Whether every condition holds; an empty list always does. */
export function holds(conditions: readonly SubjectCondition[], subject: ContractSubject): boolean {
  return conditions.every((condition) => subjectFailure(condition, subject) === null);
}

/** A condition in words: "the field `findings` is handed over". */
export function describeCondition(condition: Condition): string {
  if ("has" in condition) return `the field \`${condition.has}\` is handed over and not empty`;
  if ("verdict" in condition) return `the verdict is ${listWords(condition.verdict, "or")}`;
  if ("changes" in condition)
    return `the workspace has ${condition.changes ? "changes" : "no changes"} against the base`;
  return `\`${formatArgv(condition.command)}\` exits with 0`;
}

/** Why a role's contract stopped the run, every failed condition in one sentence. */
export function brokenContractReason(
  role: string,
  side: "input" | "output",
  failed: readonly FailedCondition[],
): string {
  const when = side === "input" ? "before it could run" : "after it handed over";
  const reasons = failed.map((item) => item.reason).join("; ");
  return `The ${side} contract of \`${role}\` was not met ${when}: ${reasons}`;
}

/** A command as a person would type it: `python3 -m unittest`, `echo "a b"`. */
export function formatArgv(argv: readonly string[]): string {
  return argv.map((arg) => (/^[\w@%+=:,./-]+$/.test(arg) ? arg : JSON.stringify(arg))).join(" ");
}

function subjectFailure(condition: SubjectCondition, subject: ContractSubject): string | null {
  if ("has" in condition) {
    const value = subject.fields[condition.has];
    if (value === undefined) return `the field \`${condition.has}\` was not handed over`;
    return value.trim() === "" ? `the field \`${condition.has}\` was handed over empty` : null;
  }
  const allowed = listWords(condition.verdict, "or");
  if (subject.verdict === null) return `no verdict was handed over; it must be ${allowed}`;
  return condition.verdict.includes(subject.verdict)
    ? null
    : `the verdict was \`${subject.verdict}\`, not ${allowed}`;
}

function commandFailure(argv: readonly string[], exitCode: number, output: string): string {
  const tail = lastBytes(output.trim(), MAX_QUOTED_OUTPUT_BYTES);
  const command = `\`${formatArgv(argv)}\` exited with ${exitCode}`;
  return tail === "" ? `${command} and printed nothing` : `${command}:\n${tail}`;
}

/** The end of the text within maxBytes of UTF-8, starting at a whole line when one fits. */
function lastBytes(text: string, maxBytes: number): string {
  const bytes = new TextEncoder().encode(text);
  if (bytes.length <= maxBytes) return text;
  const tail = new TextDecoder()
    .decode(bytes.slice(bytes.length - maxBytes))
    .replace(/^\uFFFD+/, "");
  const newline = tail.indexOf("\n");
  return newline === -1 || newline === tail.length - 1
    ? `…${tail}`
    : `…\n${tail.slice(newline + 1)}`;
}
