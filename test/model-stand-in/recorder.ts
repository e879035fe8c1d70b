// The model stand-in's log of the Messages API requests it received and how it answered each.
import type { IncomingHttpHeaders } from "node:http";
import type { Fault } from "./script.ts";

/** Milliseconds since the epoch with sub-millisecond precision. */
export const preciseNow = (): number => performance.timeOrigin + performance.now();

/** How a request was answered: a script's response, the rehearsal, or a plain fallback text. */
export type AnswerSource = "script" | "rehearsal" | "fallback";

/** One request and what became of it; the timing fields fill in while the answer is written. */
export interface RecordedRequest {
  /** Counts requests from 1 since the stand-in started. */
  seq: number;
  method: string;
  path: string;
  /** Header names in lower case; credential values replaced by "[redacted]". */
  headers: Record<string, string>;
  /** The parsed JSON body, or the raw text when it was not JSON. */
  body: unknown;
  /** The script named by the request's marker, whether or not it exists. */
  script: string | null;
  /** Null when the request was refused before an answer was chosen (401, 400). */
  source: AnswerSource | null;
  /** The assistant messages in the request: which response of the script answers. */
  responseIndex: number | null;
  /** Which attempt at this script's response this was, counting from 1. */
  attempt: number | null;
  fault: Fault["kind"] | null;
  /** The HTTP status sent; null while nothing is sent (a hang). */
  status: number | null;
  receivedAt: number;
  /** When the status line and the first body bytes were written. */
  firstByteAt: number | null;
  /** When the first text delta was completely written. */
  firstTokenAt: number | null;
  /** When the body was finished, cut off, or the client went away. */
  finishedAt: number | null;
  /** Whether the client closed the connection before the answer was complete. */
  clientClosed: boolean;
}

/** The most requests the log keeps; the oldest go first, so a long-running stand-in stays small. */
export const MAX_RECORDED_REQUESTS = 1000;

const SECRET_HEADERS = new Set(["authorization", "x-api-key", "proxy-authorization", "cookie"]);

/** The request's headers as the log keeps them. */
export function recordableHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    out[name] = SECRET_HEADERS.has(name)
      ? "[redacted]"
      : Array.isArray(value)
        ? value.join(", ")
        : value;
  }
  return out;
}

/** The log itself. */
export interface Recorder {
  start(
    fields: Pick<RecordedRequest, "method" | "path" | "headers" | "receivedAt">,
  ): RecordedRequest;
  list(script?: string): RecordedRequest[];
  clear(): void;
}

/** An empty log. */
export function createRecorder(): Recorder {
  let entries: RecordedRequest[] = [];
  let seq = 0;
  return {
    start(fields) {
      const entry: RecordedRequest = {
        seq: ++seq,
        ...fields,
        body: null,
        script: null,
        source: null,
        responseIndex: null,
        attempt: null,
        fault: null,
        status: null,
        firstByteAt: null,
        firstTokenAt: null,
        finishedAt: null,
        clientClosed: false,
      };
      entries.push(entry);
      if (entries.length > MAX_RECORDED_REQUESTS) entries.shift();
      return entry;
    },
    list(script) {
      const chosen =
        script === undefined ? entries : entries.filter((entry) => entry.script === script);
      return structuredClone(chosen);
    },
    clear() {
      entries = [];
    },
  };
}
