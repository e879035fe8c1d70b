// The error code registry: every error that leaves a boundary carries one of these codes.
import { z } from "zod";

/** Stable machine codes, with the HTTP status they map to and whether retrying can help. */
export const ERROR_CODES = {
  invalid_input: { status: 400, retryable: false },
  malformed_message: { status: 400, retryable: false },
  unknown_message: { status: 400, retryable: false },
  unauthenticated: { status: 401, retryable: false },
  forbidden: { status: 403, retryable: false },
  csrf_rejected: { status: 403, retryable: false },
  origin_rejected: { status: 403, retryable: false },
  not_found: { status: 404, retryable: false },
  conflict: { status: 409, retryable: false },
  nothing_running: { status: 409, retryable: false },
  link_revoked: { status: 410, retryable: false },
  payload_too_large: { status: 413, retryable: false },
  queue_full: { status: 429, retryable: true },
  rate_limited: { status: 429, retryable: true },
  limit_reached: { status: 429, retryable: false },
  internal: { status: 500, retryable: true },
  misconfigured: { status: 500, retryable: false },
  unavailable: { status: 503, retryable: true },
  port_unreachable: { status: 502, retryable: true },
  sandbox_not_running: { status: 503, retryable: true },
} as const satisfies Record<string, { status: number; retryable: boolean }>;

/** One of the registered error codes. */
export type ErrorCode = keyof typeof ERROR_CODES;

/** The zod enum of error codes, for receivers that validate error bodies. */
export const ErrorCodeSchema = z.enum(Object.keys(ERROR_CODES) as [ErrorCode, ...ErrorCode[]]);

/** The error body of every HTTP error: `{ error: { code, message } }`. */
export const ErrorBodySchema = z.object({
  error: z.object({ code: ErrorCodeSchema, message: z.string() }),
});
export type ErrorBody = z.infer<typeof ErrorBodySchema>;

/** An error that crosses a boundary with a stable code and a message a person understands. */
export class TandemError extends Error {
  override readonly name = "TandemError";
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string) {
    super(message);
    this.code = code;
  }
  get status(): number {
    return ERROR_CODES[this.code].status;
  }
  get retryable(): boolean {
    return ERROR_CODES[this.code].retryable;
  }
}

/** A failure as a value, for calls whose errors are expected (RPC results, socket replies). */
export type Failure = { ok: false; error: { code: ErrorCode; message: string } };
/** A success or an expected failure. */
export type Result<T> = { ok: true; value: T } | Failure;

/** Wraps a value as a success. */
export const ok = <T>(value: T): Result<T> => ({ ok: true, value });
/** Builds an expected failure. */
export const fail = (code: ErrorCode, message: string): Failure => ({
  ok: false,
  error: { code, message },
});
/** Turns a failure into a thrown TandemError; returns the value of a success. */
export function unwrap<T>(result: Result<T>): T {
  if (result.ok) return result.value;
  throw new TandemError(result.error.code, result.error.message);
}
