// Pure pieces of the stats answer: the window's days, dense usage series, the median, counts.
import type { PullRequestEvent, StatsResponse, UsageDay } from "../../protocol/stats.ts";

/** One day in milliseconds. */
export const DAY_MS = 24 * 60 * 60 * 1000;
/** How recent a prompt must be for its author to count as prompting now. */
export const ACTIVE_WINDOW_MS = 5 * 60 * 1000;

/** The window of `days` whole UTC days ending with today: `since` is the first day's midnight. */
export function statsWindow(
  now: number,
  days: number,
): { since: number; until: number; days: string[] } {
  const today = Math.floor(now / DAY_MS) * DAY_MS;
  const since = today - (days - 1) * DAY_MS;
  const labels = Array.from({ length: days }, (_, i) => utcDay(since + i * DAY_MS));
  return { since, until: now, days: labels };
}

/** The UTC calendar day of a moment, `YYYY-MM-DD`. */
export function utcDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** Prompts counted per day, as the database groups them. */
export interface PromptDayRow {
  day: string;
  prompts: number;
}

/** Usage summed per day, as the database groups it. */
export interface UsageDayRow {
  day: string;
  costUsd: number;
  inputTokens: number;
  outputTokens: number;
}

/** One entry per day of the window, oldest first, zeros where nothing happened. */
export function denseUsage(
  days: readonly string[],
  prompts: readonly PromptDayRow[],
  usage: readonly UsageDayRow[],
): UsageDay[] {
  const promptsByDay = new Map(prompts.map((row) => [row.day, row.prompts]));
  const usageByDay = new Map(usage.map((row) => [row.day, row]));
  return days.map((day) => {
    const used = usageByDay.get(day);
    return {
      day,
      prompts: promptsByDay.get(day) ?? 0,
      // Sums of floating-point costs drift in the last digits; micro-dollars are plenty.
      costUsd: Math.round((used?.costUsd ?? 0) * 1e6) / 1e6,
      inputTokens: used?.inputTokens ?? 0,
      outputTokens: used?.outputTokens ?? 0,
    };
  });
}

/** The median of some numbers (the mean of the middle two for an even count); null for none. */
export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? sorted[middle]!
    : Math.round((sorted[middle - 1]! + sorted[middle]!) / 2);
}

/** `part / whole`, or null when there is no whole. */
export function rateOf(part: number, whole: number): number | null {
  return whole > 0 ? Math.min(1, part / whole) : null;
}

/** Pull request events counted by kind, every kind present. */
export function pullRequestCounts(
  rows: readonly { event: PullRequestEvent; count: number }[],
): StatsResponse["pullRequests"] {
  const counts: StatsResponse["pullRequests"] = {
    opened: 0,
    approved: 0,
    changesRequested: 0,
    revised: 0,
    merged: 0,
    closed: 0,
  };
  for (const row of rows) {
    const key = row.event === "changes_requested" ? "changesRequested" : row.event;
    counts[key] += row.count;
  }
  return counts;
}
