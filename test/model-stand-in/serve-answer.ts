// Writes the chosen answer to a Messages API request: streamed as SSE or whole as JSON, cut into
// random pieces, with the script's pacing, or one of the faults in its place.
import type { ServerResponse } from "node:http";
import { errorBody, errorForStatus } from "./api-errors.ts";
import { sendJson } from "../support/http.ts";
import { buildAnswer } from "./message.ts";
import type { Random } from "./random.ts";
import { preciseNow, type RecordedRequest } from "./recorder.ts";
import type { MessagesRequest } from "./request-schema.ts";
import type { Fault, ScriptResponse } from "./script.ts";
import { answerEvents, bodyMarks, encodeEvents, encodeFrame, type BodyMarks } from "./sse-body.ts";
import { cutPoints } from "./cut-points.ts";
import { writeBody } from "./write-body.ts";

/** Everything needed to answer one request. */
export interface AnswerPlan {
  request: MessagesRequest;
  response: ScriptResponse;
  fault: Fault | null;
  random: Random;
  /** Updated as the answer is written. */
  entry: RecordedRequest;
}

/** The `request-id` header and error field of a recorded request. */
const requestId = (entry: RecordedRequest): string => `req_standin_${entry.seq}`;

/** Sends an API error with the given status, as the status fault and refusals do. */
export function sendApiError(
  res: ServerResponse,
  entry: RecordedRequest,
  status: number,
  message: string | null,
  headers: Record<string, string> = {},
): void {
  const [type, fallback] = errorForStatus(status);
  sendJson(res, status, errorBody(type, message ?? fallback, requestId(entry)), {
    "request-id": requestId(entry),
    ...headers,
  });
  entry.status = status;
  entry.firstByteAt = entry.finishedAt = preciseNow();
}

/** The SSE body ending with an `error` event after `afterBlocks` complete content blocks. */
function withErrorEvent(body: Buffer, marks: BodyMarks, afterBlocks: number): Buffer {
  const cut =
    afterBlocks === 0
      ? marks.messageStartEnd
      : (marks.blockEnds[Math.min(afterBlocks, marks.blockEnds.length) - 1] ??
        marks.messageStartEnd);
  const error = encodeFrame({
    type: "error",
    error: { type: "overloaded_error", message: "Overloaded (model stand-in fault)" },
  });
  return Buffer.concat([body.subarray(0, cut), Buffer.from(error)]);
}

/** Writes the plan's answer, or its fault instead; resolves when the response is over. */
export async function serveAnswer(res: ServerResponse, plan: AnswerPlan): Promise<void> {
  const { request, response, fault, entry } = plan;
  const stream = request.stream === true;
  if (fault?.kind === "status") {
    const headers: Record<string, string> =
      fault.retryAfterMs === undefined
        ? {}
        : {
            "retry-after": String(Math.ceil(fault.retryAfterMs / 1000)),
            "retry-after-ms": String(fault.retryAfterMs),
          };
    return sendApiError(res, entry, fault.status, null, headers);
  }
  if (fault?.kind === "hang") {
    // Nothing is ever sent; the request ends when the client gives up (or the stand-in stops).
    await new Promise<void>((resolve) => res.once("close", resolve));
    entry.clientClosed = true;
    entry.finishedAt = preciseNow();
    return;
  }
  if (response.kind === "raw" && !stream) {
    return sendApiError(
      res,
      entry,
      400,
      "This scripted response is a recorded stream: send stream: true.",
    );
  }
  // A mid-stream error cannot happen without a stream; the API answers such a request with 529.
  if (fault?.kind === "error_event" && !stream) return sendApiError(res, entry, 529, null);

  let body =
    response.kind === "raw"
      ? Buffer.from(response.sse)
      : stream
        ? encodeEvents(answerEvents(buildAnswer(response, request, `${entry.seq}`), plan.random))
        : Buffer.from(JSON.stringify(buildAnswer(response, request, `${entry.seq}`)));
  let marks = stream ? bodyMarks(body) : null;
  if (fault?.kind === "error_event" && marks) {
    body = withErrorEvent(body, marks, fault.afterBlocks ?? 0);
    marks = bodyMarks(body);
  }
  const dropAfterBytes =
    fault?.kind === "drop" ? (fault.afterBytes ?? Math.floor(body.length / 2)) : undefined;

  res.writeHead(200, {
    "request-id": requestId(entry),
    // No content-length: a body cut short (the drop fault) must look incomplete to the client.
    "content-type": stream ? "text/event-stream; charset=utf-8" : "application/json",
    ...(stream ? { "cache-control": "no-cache" } : {}),
  });
  entry.status = 200;
  // Streams send their headers at once, as the API does; the body follows at its own pace.
  if (stream) res.flushHeaders();
  // A JSON answer has no deltas: the first-token pause holds back the whole body.
  const firstDelta = marks ? marks.firstDelta : 0;
  const forced = [firstDelta, dropAfterBytes].filter((at): at is number => typeof at === "number");
  const outcome = await writeBody(res, body, {
    cuts: cutPoints(body, plan.random, forced),
    pacing: response.pacing,
    firstDelta,
    dropAfterBytes,
    onProgress(written) {
      const now = preciseNow();
      entry.firstByteAt ??= now;
      if (marks?.firstTextDeltaEnd != null && written >= marks.firstTextDeltaEnd)
        entry.firstTokenAt ??= now;
    },
  });
  entry.finishedAt = preciseNow();
  entry.clientClosed = outcome === "client_closed";
}
