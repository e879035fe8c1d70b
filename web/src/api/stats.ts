// Stats calls: the figures of my sessions over a window, and who is prompting now.
import type { ActivePerson, StatsResponse, UsageDay } from "../../../protocol/stats.ts";
import { request } from "./client.ts";

export type { ActivePerson, StatsResponse, UsageDay };

/** Every figure of the stats page over the last `days` days. */
export function getStats(days: number): Promise<StatsResponse> {
  return request<StatsResponse>("GET", `/api/stats?days=${days}`);
}

/** People who prompted in my sessions within the last five minutes, latest first. */
export async function getActiveNow(): Promise<ActivePerson[]> {
  return (await request<{ activeNow: ActivePerson[] }>("GET", "/api/stats/active-now")).activeNow;
}
