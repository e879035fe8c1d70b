// The model client: one streamed Messages API call with its events handed out as they arrive,
// and the retry policy around it (429, 529, overloaded, dropped connections), honouring retry-after.
import Anthropic from "@anthropic-ai/sdk";

/** How to reach the model server. */
export interface ModelServer {
  apiKey: string;
  /** Any Anthropic-compatible server; the SDK's default when absent. */
  baseURL?: string;
}

/** What a streamed call reports while it runs. */
export interface StreamHandlers {
  /** Text streamed into content block `index`. */
  onText(index: number, text: string): void;
  /** Content block `index` is complete. */
  onBlock(index: number, block: Anthropic.ContentBlock): void;
}

/** Parameters of one call, without `stream` (always streamed). */
export type CallParams = Omit<Anthropic.MessageCreateParamsStreaming, "stream">;

/** One model call at a time, streamed. */
export interface ModelCaller {
  call(
    params: CallParams,
    handlers: StreamHandlers,
    signal: AbortSignal,
  ): Promise<Anthropic.Message>;
}

/** The caller over `@anthropic-ai/sdk`; the SDK does not retry, the turn's policy does. */
export function anthropicCaller(server: ModelServer): ModelCaller {
  const client = new Anthropic({
    apiKey: server.apiKey,
    ...(server.baseURL ? { baseURL: server.baseURL } : {}),
    maxRetries: 0,
    timeout: 10 * 60_000,
  });
  return {
    async call(params, handlers, signal) {
      const stream = client.messages.stream(params, { signal });
      stream.on("streamEvent", (event, snapshot) => {
        if (event.type === "content_block_delta" && event.delta.type === "text_delta") {
          handlers.onText(event.index, event.delta.text);
        } else if (event.type === "content_block_stop") {
          const block = snapshot.content[event.index];
          if (block) handlers.onBlock(event.index, block);
        }
      });
      return stream.finalMessage();
    },
  };
}

/** How often and how patiently a call is retried. */
export interface RetryPolicy {
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = {
  maxAttempts: 6,
  baseDelayMs: 1_000,
  maxDelayMs: 30_000,
};
/** The longest `retry-after` we wait for. */
const MAX_RETRY_AFTER_MS = 120_000;

/** Whether an error is worth retrying, why in words, and what the server asked us to wait. */
export interface ErrorClass {
  retryable: boolean;
  reason: string;
  retryAfterMs: number | null;
}

export function classifyError(error: unknown): ErrorClass {
  if (error instanceof Anthropic.APIUserAbortError) {
    return { retryable: false, reason: "stopped", retryAfterMs: null };
  }
  if (error instanceof Anthropic.APIConnectionError) {
    return {
      retryable: true,
      reason: `could not reach the model server (${error.message})`,
      retryAfterMs: null,
    };
  }
  if (error instanceof Anthropic.APIError) {
    const type = errorType(error.error);
    const retryAfterMs = retryAfter(error.headers);
    if (error.status === undefined) {
      // An `error` event in the middle of the stream.
      const retryable = type === "overloaded_error" || type === "api_error" || type === null;
      return {
        retryable,
        reason: `the model server broke off mid-stream (${type ?? error.message})`,
        retryAfterMs,
      };
    }
    const status = error.status;
    if (status === 429) return { retryable: true, reason: "rate limited (429)", retryAfterMs };
    if (status === 529 || type === "overloaded_error")
      return { retryable: true, reason: `the model is overloaded (${status})`, retryAfterMs };
    if (status === 408 || status === 409 || status >= 500)
      return { retryable: true, reason: `the model server failed (${status})`, retryAfterMs };
    return {
      retryable: false,
      reason: `the model server refused the request (${status}${type ? ` ${type}` : ""}): ${messageOf(error.error) ?? error.message}`,
      retryAfterMs: null,
    };
  }
  const message = error instanceof Error ? error.message : String(error);
  // A connection cut mid-body surfaces from fetch as a plain error.
  const network = /terminated|socket|ECONNRESET|ECONNREFUSED|network|fetch failed|closed/i.test(
    message,
  );
  return {
    retryable: network,
    reason: network ? `the connection to the model server dropped (${message})` : message,
    retryAfterMs: null,
  };
}

/** How long to wait before attempt `attempt + 1` (attempts count from 1). */
export function retryDelay(
  policy: RetryPolicy,
  attempt: number,
  error: ErrorClass,
  random = Math.random,
): number {
  if (error.retryAfterMs !== null) return Math.min(error.retryAfterMs, MAX_RETRY_AFTER_MS);
  const exponential = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  // Full jitter on the upper half keeps a storm of sessions from retrying in lockstep.
  return Math.round(exponential / 2 + (random() * exponential) / 2);
}

function retryAfter(headers: Headers | undefined): number | null {
  const ms = Number(headers?.get("retry-after-ms"));
  if (headers?.get("retry-after-ms") && Number.isFinite(ms) && ms >= 0) return ms;
  const value = headers?.get("retry-after");
  if (!value) return null;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? null : Math.max(0, date - Date.now());
}

function errorType(body: unknown): string | null {
  const inner = (body as { error?: { type?: unknown } } | undefined)?.error;
  const type = inner?.type ?? (body as { type?: unknown } | undefined)?.type;
  return typeof type === "string" && type !== "error" ? type : null;
}

function messageOf(body: unknown): string | null {
  const message = (body as { error?: { message?: unknown } } | undefined)?.error?.message;
  return typeof message === "string" ? message : null;
}

/** Waits `ms`, or less if `signal` aborts (then throws the abort reason). */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    signal.addEventListener("abort", onAbort, { once: true });
  });
}
