// Publishing a session's work as a pull request.
import { request } from "./client.ts";

/** Pushes the session's branch and opens or updates its pull request in my name. */
export function publishPullRequest(sessionId: string): Promise<unknown> {
  return request("POST", `/api/sessions/${encodeURIComponent(sessionId)}/pull-request`, {});
}
