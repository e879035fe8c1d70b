// Team calls: a session's parent, children and mailboxes as the people in it see them.
import type { TeamView } from "../../../protocol/team.ts";
import { request } from "./client.ts";

export type { TeamView };

/** The team of a session: itself, its parent, its children and their inboxes. */
export async function getTeam(sessionId: string): Promise<TeamView> {
  const path = `/api/sessions/${encodeURIComponent(sessionId)}/team`;
  return (await request<{ team: TeamView }>("GET", path)).team;
}
