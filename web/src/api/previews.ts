// Preview calls: the ports a session publishes, publishing and closing one, and where opening one goes.
import type { ExposePortBody, Preview } from "../../../protocol/previews.ts";
import { request } from "./client.ts";

const base = (sessionId: string) => `/api/sessions/${encodeURIComponent(sessionId)}/previews`;

/** Publishes a port of the session's sandbox (owners and collaborators). */
export async function exposePort(sessionId: string, body: ExposePortBody): Promise<Preview> {
  return (await request<{ preview: Preview }>("POST", base(sessionId), body)).preview;
}

/** Closes a port's preview (owners and collaborators). */
export async function closePreview(sessionId: string, port: number): Promise<void> {
  await request("DELETE", `${base(sessionId)}/${port}`);
}

/** The address that signs this person in on the preview's own origin and opens it. */
export function openPreviewHref(sessionId: string, port: number): string {
  return `${base(sessionId)}/${port}/open`;
}
