// What a failed `git push` to the remote means: the remote failing (a 5xx answer, which another
// attempt can get past) or the push being refused (rejected, protected branch, bad credential).
import { SandboxError } from "./provider.ts";

/** git's words for the remote's HTTP answer: `HTTP 502`, `The requested URL returned error: 503`. */
const GIT_HTTP_STATUS = /\bHTTP (\d{3})\b|returned error: (\d{3})\b/;

/** The HTTP status git reports the remote answered with, or null. */
export function gitHttpStatus(text: string): number | null {
  const match = GIT_HTTP_STATUS.exec(text);
  const status = Number(match?.[1] ?? match?.[2]);
  return Number.isInteger(status) && status >= 100 ? status : null;
}

/** The error a provider reports for a failed push: `unavailable` for the remote's 5xx, else `invalid_input`. */
export function pushError(error: unknown): SandboxError {
  const text = error instanceof Error ? error.message : String(error);
  const status = gitHttpStatus(text);
  return status !== null && status >= 500
    ? new SandboxError("unavailable", `The remote failed the push (HTTP ${status}): ${text}`)
    : new SandboxError("invalid_input", `The push was refused: ${text}`);
}
