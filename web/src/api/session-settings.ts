// The owner's change of a session's model and spend limit.
import type { SessionSettingsBody, SessionView } from "../../../protocol/api.ts";
import { request } from "./client.ts";

/** Changes the model or the spend limit (null sets one back to its default). */
export async function updateSessionSettings(
  sessionId: string,
  body: SessionSettingsBody,
): Promise<SessionView> {
  return (
    await request<{ session: SessionView }>(
      "PATCH",
      `/api/sessions/${encodeURIComponent(sessionId)}/settings`,
      body,
    )
  ).session;
}
