// Routing guide calls: read and replace an organisation's spaces.
import type { RoutingGuide, Space } from "../../../protocol/routing.ts";
import { request } from "./client.ts";

export type { RoutingGuide, Space };

const guidePath = (org: string) => `/api/orgs/${encodeURIComponent(org)}/routing`;

/** The organisation's routing guide (empty, never stored, when it has none). */
export async function getRoutingGuide(org: string): Promise<RoutingGuide> {
  return (await request<{ guide: RoutingGuide }>("GET", guidePath(org))).guide;
}

/** Replaces the organisation's spaces; the server checks each and answers the stored guide. */
export async function putRoutingGuide(org: string, spaces: Space[]): Promise<RoutingGuide> {
  return (await request<{ guide: RoutingGuide }>("PUT", guidePath(org), { spaces })).guide;
}
