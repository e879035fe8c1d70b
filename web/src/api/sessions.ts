// Session calls: list, create, read, share links, joining by link, leaving and removing people.
import type {
  CreateSessionBody,
  RemovedParticipant,
  SessionSummary,
  SessionView,
  ShareLink,
} from "../../../protocol/api.ts";

export type { SessionSummary };
import type { ShareRole } from "../../../protocol/events.ts";
import { request } from "./client.ts";

/** A share link just created, with its secret URL (shown once). */
export interface CreatedShareLink {
  link: ShareLink;
  token: string;
  url: string;
}

const base = (sessionId: string) => `/api/sessions/${encodeURIComponent(sessionId)}`;

/** Sessions I take part in, optionally filtered by title or repository. */
export async function listSessions(search: string): Promise<SessionSummary[]> {
  const query = search.trim() ? `?q=${encodeURIComponent(search.trim())}` : "";
  return (await request<{ sessions: SessionSummary[] }>("GET", `/api/sessions${query}`)).sessions;
}

/** Creates a session (optionally with its first prompt). */
export async function createSession(body: CreateSessionBody): Promise<SessionView> {
  return (await request<{ session: SessionView }>("POST", "/api/sessions", body)).session;
}

/** A session as I see it. */
export async function getSession(sessionId: string): Promise<SessionView> {
  return (await request<{ session: SessionView }>("GET", base(sessionId))).session;
}

/** The session's share links (owners only). */
export async function listShareLinks(sessionId: string): Promise<ShareLink[]> {
  return (await request<{ links: ShareLink[] }>("GET", `${base(sessionId)}/share-links`)).links;
}

/** Creates a share link granting `role`. */
export function createShareLink(sessionId: string, role: ShareRole): Promise<CreatedShareLink> {
  return request<CreatedShareLink>("POST", `${base(sessionId)}/share-links`, { role });
}

/** Revokes a share link. */
export async function revokeShareLink(sessionId: string, linkId: string): Promise<ShareLink> {
  return (
    await request<{ link: ShareLink }>(
      "DELETE",
      `${base(sessionId)}/share-links/${encodeURIComponent(linkId)}`,
    )
  ).link;
}

/** Joins a session with a share link's token. */
export async function joinSession(sessionId: string, token: string): Promise<SessionView> {
  return (await request<{ session: SessionView }>("POST", `${base(sessionId)}/join`, { token }))
    .session;
}

/** Takes a person out of the session: myself (leaving), or anyone else as its owner. */
export function removeParticipant(sessionId: string, userId: string): Promise<RemovedParticipant> {
  return request<RemovedParticipant>(
    "DELETE",
    `${base(sessionId)}/participants/${encodeURIComponent(userId)}`,
  );
}
