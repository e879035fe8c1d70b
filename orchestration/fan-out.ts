// Fan-out: one question to several spaces at once, each answered by a session of its own, and one
// synthesized comparison of what came back — what is the same, what differs, who did not answer.
import type { Space } from "../protocol/routing.ts";

/** How long a space has to answer unless the request says otherwise. */
export const DEFAULT_SPACE_TIMEOUT_MS = 90_000;
/** The most tokens the comparison may take. */
export const SYNTHESIS_MAX_TOKENS = 2_000;

/** What one space answered. */
export interface SpaceAnswer {
  space: string;
  sessionId: string;
  answer: string;
}

/** A space left out, and why (its purpose does not cover the subject, or it did not answer). */
export interface SkippedSpace {
  space: string;
  reason: string;
}

/** The prompt of the session that answers for one space: its own context, then the question. */
export function spacePrompt(space: Space, question: string): string {
  const where =
    space.kind === "environment" && space.environment
      ? `the ${space.environment} environment of ${space.repo}`
      : `the repository ${space.repo}`;
  return [
    `You answer for the space "${space.name}": ${where}. Its purpose: ${space.purpose}`,
    `The same question goes to other spaces at the same time, and the answers are compared afterwards. Answer for this space only, from what you can find here; say plainly what you could not find out.`,
    `End with your answer as your final message: concise, factual, with the specifics (versions, settings, values) a comparison needs.`,
    "",
    `The question: ${question}`,
  ].join("\n");
}

/** Why a space that did not answer in time was skipped. */
export function timeoutReason(timeoutMs: number): string {
  return `did not answer within ${Math.round(timeoutMs / 1000)} s and was skipped`;
}

/** The system prompt of the comparison. */
export const SYNTHESIS_SYSTEM = `You compare answers that several spaces (repositories or environments) gave to the same question. Write one synthesized comparison, not the answers pasted one after another:
- Start with a one-sentence answer to the question.
- "Same": what all answering spaces agree on.
- "Different": each point where they differ, naming each space's value side by side.
- "Not answered": every space that was skipped, with the reason given.
Be brief and exact; do not invent anything the answers do not say.`;

/** The message the comparison is written from: the question first, then each answer. */
export function synthesisMessage(
  question: string,
  answers: readonly SpaceAnswer[],
  skipped: readonly SkippedSpace[],
): string {
  return [
    `The question: ${question}`,
    "",
    ...answers.flatMap((a) => [`## Answer from ${a.space}`, a.answer.trim() || "(empty)", ""]),
    ...(skipped.length > 0
      ? ["## Skipped", ...skipped.map((s) => `- ${s.space}: ${s.reason}`)]
      : []),
  ].join("\n");
}

/** What is said when no space answered at all (no comparison to write). */
export function nothingToCompare(skipped: readonly SkippedSpace[]): string {
  return `No space answered, so there is nothing to compare.\n${skipped.map((s) => `- ${s.space} ${s.reason}`).join("\n")}`;
}

/** A comparison with the skipped spaces always named, whatever the model wrote. */
export function withSkippedNamed(synthesis: string, skipped: readonly SkippedSpace[]): string {
  const missing = skipped.filter((s) => !synthesis.includes(s.space));
  if (missing.length === 0) return synthesis;
  return `${synthesis.trim()}\n\nNot answered:\n${missing.map((s) => `- ${s.space}: ${s.reason}`).join("\n")}`;
}
