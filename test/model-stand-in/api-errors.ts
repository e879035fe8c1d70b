// Anthropic's error shapes: the JSON body of an HTTP error and of an SSE `error` event.

/** The error types the Messages API reports. */
export type ApiErrorType =
  | "invalid_request_error"
  | "authentication_error"
  | "permission_error"
  | "not_found_error"
  | "request_too_large"
  | "rate_limit_error"
  | "api_error"
  | "overloaded_error";

/** `{ type: "error", error: { type, message }, request_id }`, as the API sends it. */
export interface ApiErrorBody {
  type: "error";
  error: { type: ApiErrorType; message: string };
  request_id: string;
}

const BY_STATUS: Record<number, [ApiErrorType, string]> = {
  400: ["invalid_request_error", "Invalid request"],
  401: ["authentication_error", "invalid x-api-key"],
  403: ["permission_error", "Your API key does not have permission to use the specified resource."],
  404: ["not_found_error", "Not found"],
  413: ["request_too_large", "Request exceeds the maximum allowed number of bytes."],
  429: [
    "rate_limit_error",
    "Number of requests has exceeded your rate limit (model stand-in fault)",
  ],
  500: ["api_error", "Internal server error (model stand-in fault)"],
  529: ["overloaded_error", "Overloaded (model stand-in fault)"],
};

/** The error type and default message the API uses for an HTTP status. */
export function errorForStatus(status: number): [ApiErrorType, string] {
  const known = BY_STATUS[status];
  if (known) return known;
  if (status >= 500) return ["api_error", `Server error ${status} (model stand-in fault)`];
  return ["invalid_request_error", `Request failed with status ${status} (model stand-in fault)`];
}

/** An error body as the API writes it. */
export function errorBody(type: ApiErrorType, message: string, requestId: string): ApiErrorBody {
  return { type: "error", error: { type, message }, request_id: requestId };
}
