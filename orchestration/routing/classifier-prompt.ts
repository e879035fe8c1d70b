// The text the routing model reads: the organisation's spaces, the rules, and the answer format.
import type { Space } from "../../protocol/routing.ts";

/** The longest request text shown to the routing model; routing needs the gist, not every line. */
export const MAX_REQUEST_CHARS = 8_000;

/** The system prompt listing every space and the one-JSON-object answer format. */
export function classifierSystemPrompt(spaces: readonly Space[]): string {
  return `You route requests to the space that should handle them. A space is a repository, or an environment bound to a repository, with a purpose.

The spaces:

${spaces.map(describeSpace).join("\n\n")}

Rules:
- Pick one space when one space owns the request. This is the usual case.
- Fan out to several spaces only when the request explicitly spans several of them (for example "compare staging and production"), or when the person marked it as spanning spaces.
- When you fan out, list every space whose purpose and coverage do not include the subject of the request under "skipped", each with a short reason.
- When you are unsure which space owns the request, do not guess: answer "unknown" with one short question for the person and the candidate spaces.
- Use the space names exactly as listed above.

Answer with one JSON object and nothing else, in one of these shapes:
{"route":"space","space":"<name>","reason":"<one sentence>"}
{"route":"fan_out","spaces":["<name>","<name>"],"skipped":[{"space":"<name>","reason":"<one sentence>"}],"reason":"<one sentence>"}
{"route":"unknown","question":"<one question for the person>","candidates":["<name>","<name>"]}`;
}

/** The user message: the request, and whether the person marked it as spanning spaces. */
export function classifierUserMessage(request: string, fanOut: boolean): string {
  const text =
    request.length > MAX_REQUEST_CHARS ? `${request.slice(0, MAX_REQUEST_CHARS)}…` : request;
  const mark = fanOut
    ? "The person marked this request as spanning several spaces."
    : "The person did not mark this request as spanning several spaces.";
  return `${mark}\n\nThe request:\n<request>\n${text}\n</request>`;
}

function describeSpace(space: Space): string {
  return [
    `- name: ${space.name}`,
    `  kind: ${space.kind}`,
    `  repository: ${space.repo}`,
    `  environment: ${space.environment ?? "(none)"}`,
    `  purpose: ${space.purpose.replace(/\s*\n\s*/g, " ")}`,
    `  covers: ${space.coverage.length > 0 ? space.coverage.join(", ") : "(not listed)"}`,
  ].join("\n");
}
