// `POST /v1/messages`: authenticates, checks the body, chooses the answer (a script's response,
// the rehearsal, or a plain text saying what is missing) and the fault of this attempt, and serves it.
import type { IncomingMessage, ServerResponse } from "node:http";
import { parseJson, readBody } from "../support/http.ts";
import { textResponse } from "./message.ts";
import { mixSeed, seededRandom } from "./random.ts";
import { preciseNow, recordableHeaders, type AnswerSource, type Recorder } from "./recorder.ts";
import { rehearsalResponse } from "./rehearsal.ts";
import { describeIssues, MessagesRequestSchema, type MessagesRequest } from "./request-schema.ts";
import { faultForAttempt, type Pacing, type Script, type ScriptResponse } from "./script.ts";
import { findMarker, responseIndex, scriptMarker } from "./selection.ts";
import { sendApiError, serveAnswer } from "./serve-answer.ts";

/** The largest body the stand-in reads, as the Messages API's own limit. */
export const MAX_BODY_BYTES = 32 * 1024 * 1024;

/** What the route reads and updates. */
export interface MessagesState {
  scripts: Map<string, Script>;
  /** Attempts so far per script and response index (`name#index`). */
  attempts: Map<string, number>;
  recorder: Recorder;
  seed: number;
  rehearsal: boolean;
  rehearsalPacing: Pacing | undefined;
  log(line: string): void;
}

/** Any non-empty credential will do; the SDK sends `Authorization: Bearer` (1.x) or `x-api-key` (0.x). */
function authenticated(req: IncomingMessage): boolean {
  const bearer = /^Bearer\s+(\S+)/i.exec(req.headers.authorization ?? "");
  return Boolean(req.headers["x-api-key"]) || bearer !== null;
}

/** The answer for `request` and where it came from. */
function choose(
  state: MessagesState,
  request: MessagesRequest,
  name: string | null,
  index: number,
): [AnswerSource, ScriptResponse] {
  if (name !== null) {
    const script = state.scripts.get(name);
    const response = script?.responses[index];
    if (response) return ["script", response];
    const missing = script
      ? `The model stand-in's script "${name}" has no response ${index}: it has ${script.responses.length}.`
      : `The model stand-in has no script named "${name}".`;
    return ["fallback", textResponse(missing)];
  }
  if (state.rehearsal) {
    const response = rehearsalResponse(request.messages, index);
    return [
      "rehearsal",
      state.rehearsalPacing ? { ...response, pacing: state.rehearsalPacing } : response,
    ];
  }
  return [
    "fallback",
    textResponse(
      "This is the model stand-in. The request names no script (a [script:NAME] marker in a message) and rehearsal mode is off, so it has nothing to answer.",
    ),
  ];
}

/** Answers one `POST /v1/messages`, recording it. */
export async function handleMessages(
  req: IncomingMessage,
  res: ServerResponse,
  state: MessagesState,
): Promise<void> {
  const entry = state.recorder.start({
    method: req.method ?? "POST",
    path: req.url ?? "/v1/messages",
    headers: recordableHeaders(req.headers),
    receivedAt: preciseNow(),
  });
  const raw = await readBody(req, MAX_BODY_BYTES);
  if (raw === null) return sendApiError(res, entry, 413, null);
  const text = raw.toString("utf8");
  const parsed = parseJson(text);
  entry.body = parsed.ok ? parsed.value : text;
  // A refused request is still filed under the script its text names.
  entry.script = findMarker(text);
  if (!authenticated(req)) return sendApiError(res, entry, 401, "x-api-key header is required");
  if (!parsed.ok)
    return sendApiError(res, entry, 400, `The request body is not valid JSON: ${parsed.message}`);
  const checked = MessagesRequestSchema.safeParse(parsed.value);
  if (!checked.success) return sendApiError(res, entry, 400, describeIssues(checked.error));

  const request = checked.data;
  const name = scriptMarker(request.messages);
  const index = responseIndex(request.messages);
  const [source, response] = choose(state, request, name, index);
  const key = `${name ?? ""}#${index}`;
  const attempt = (state.attempts.get(key) ?? 0) + 1;
  state.attempts.set(key, attempt);
  const fault = source === "script" ? faultForAttempt(response.faults, attempt) : null;
  entry.script = name;
  entry.source = source;
  entry.responseIndex = index;
  entry.attempt = attempt;
  entry.fault = fault?.kind ?? null;
  state.log(
    `model stand-in: ${source}${name ? ` "${name}"` : ""} response ${index}, attempt ${attempt}${fault ? `, fault ${fault.kind}` : ""}`,
  );
  await serveAnswer(res, {
    request,
    response,
    fault,
    random: seededRandom(mixSeed(state.seed, `${key}#${attempt}`)),
    entry,
  });
}
