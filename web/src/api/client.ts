// Same-origin JSON requests to the Worker API; failures become ApiError with the server's code.
import type { ErrorCode } from "../../../protocol/errors.ts";

/** Fired on window when any request learns the person is no longer signed in. */
export const UNAUTHENTICATED_EVENT = "tandem:unauthenticated";

/** A failed API call: the server's error code (or `network`) and a message a person can read. */
export class ApiError extends Error {
  override readonly name = "ApiError";
  readonly code: ErrorCode | "network";
  readonly status: number;
  constructor(code: ErrorCode | "network", message: string, status: number) {
    super(message);
    this.code = code;
    this.status = status;
  }
}

type Method = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

/** Calls the API and returns the parsed JSON body (undefined for 204). */
export async function request<T>(method: Method, path: string, body?: unknown): Promise<T> {
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      credentials: "same-origin",
      headers:
        body === undefined
          ? { Accept: "application/json" }
          : { Accept: "application/json", "Content-Type": "application/json" },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  } catch {
    throw new ApiError(
      "network",
      "Tandem cannot be reached. Check your connection and try again.",
      0,
    );
  }
  if (response.status === 204) return undefined as T;
  const parsed: unknown = await response.json().catch(() => null);
  if (response.ok) return parsed as T;
  const error = errorOf(parsed, response.status);
  if (error.code === "unauthenticated" && !path.startsWith("/api/auth/session")) {
    window.dispatchEvent(new Event(UNAUTHENTICATED_EVENT));
  }
  throw error;
}

function errorOf(body: unknown, status: number): ApiError {
  const error = (body as { error?: { code?: unknown; message?: unknown } } | null)?.error;
  if (error && typeof error.code === "string" && typeof error.message === "string") {
    return new ApiError(error.code as ErrorCode, error.message, status);
  }
  return new ApiError("internal", `The server answered ${status}; try again.`, status);
}

/** The message to show for any thrown value. */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : "Something went wrong; try again.";
}
