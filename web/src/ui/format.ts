// Plain text for people and times, shared by every screen.
import type { Person } from "../../../protocol/events.ts";

/** The name to show for a person: their name, else their login. */
export function displayName(person: Person): string {
  return person.name?.trim() || person.login;
}

/** One or two letters for an avatar without a picture. */
export function initials(person: Person): string {
  const words = displayName(person)
    .split(/[\s._-]+/)
    .filter(Boolean);
  const letters =
    words.length > 1 ? words[0]![0]! + words[words.length - 1]![0]! : (words[0] ?? "?").slice(0, 2);
  return letters.toUpperCase();
}

/** A stable hue (0–359) per person, so the same person keeps the same avatar colour. */
export function hueOf(person: Person): number {
  let hash = 0;
  for (const char of person.userId) hash = (hash * 31 + char.charCodeAt(0)) >>> 0;
  return hash % 360;
}

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;

/** "just now", "5 min ago", "3 h ago", "2 d ago", then the date. */
export function relativeTime(atMs: number, nowMs: number): string {
  const ago = nowMs - atMs;
  if (ago < MINUTE_MS) return "just now";
  if (ago < HOUR_MS) return `${Math.floor(ago / MINUTE_MS)} min ago`;
  if (ago < DAY_MS) return `${Math.floor(ago / HOUR_MS)} h ago`;
  if (ago < 7 * DAY_MS) return `${Math.floor(ago / DAY_MS)} d ago`;
  return new Date(atMs).toLocaleDateString();
}

/** The clock time of a moment, for timeline entries. */
export function clockTime(atMs: number): string {
  return new Date(atMs).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
}

/** The first `maxChars` characters of a text on one line, with an ellipsis when cut. */
export function snippet(text: string, maxChars = 60): string {
  const line = text.replace(/\s+/g, " ").trim();
  return line.length > maxChars ? `${line.slice(0, maxChars - 1)}…` : line;
}

/** A token count in a few characters: 950, 12.3k, 1.2M. */
export function formatTokens(count: number): string {
  if (count < 1_000) return String(count);
  if (count < 999_500) return `${trimZero((count / 1_000).toFixed(count < 10_000 ? 1 : 0))}k`;
  return `${trimZero((count / 1_000_000).toFixed(1))}M`;
}

/** Dollars as people read them: $0, <$0.01, $0.42, $12.50. */
export function formatCost(usd: number): string {
  if (usd === 0) return "$0";
  if (usd < 0.01) return "<$0.01";
  return `$${usd.toFixed(2)}`;
}

/** A duration in the largest sensible unit: 320 ms, 4.2 s, 3 min 5 s. */
export function formatDuration(ms: number): string {
  if (ms < 1_000) return `${Math.round(ms)} ms`;
  if (ms < MINUTE_MS) return `${trimZero((ms / 1_000).toFixed(1))} s`;
  const minutes = Math.floor(ms / MINUTE_MS);
  const seconds = Math.round((ms % MINUTE_MS) / 1_000);
  return seconds ? `${minutes} min ${seconds} s` : `${minutes} min`;
}

const trimZero = (fixed: string) => fixed.replace(/\.0$/, "");
