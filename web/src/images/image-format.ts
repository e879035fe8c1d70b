// Plain text for images: short commits, sizes, ages and build times.
import type { ImageInfo } from "../api/repositories.ts";
import { formatDuration } from "../ui/format.ts";

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;

/** The first 7 characters of a commit, as git shows it. */
export function shortSha(commit: string): string {
  return commit.slice(0, 7);
}

/** Bytes in the largest unit under 1,000 of it: 812 B, 48.2 KB, 1.3 MB, 2.1 GB. */
export function formatBytes(bytes: number): string {
  const units = ["B", "KB", "MB", "GB", "TB"];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  const digits = unit === 0 || value >= 100 ? 0 : 1;
  return `${value.toFixed(digits).replace(/\.0$/, "")} ${units[unit]}`;
}

/** How long ago, compact enough for a table cell: 40 s, 12 min, 3 h, 5 d, 7 wk. */
export function formatAge(atMs: number, nowMs: number): string {
  const ago = Math.max(0, nowMs - atMs);
  if (ago < MINUTE_MS) return `${Math.floor(ago / 1000)} s`;
  if (ago < HOUR_MS) return `${Math.floor(ago / MINUTE_MS)} min`;
  if (ago < DAY_MS) return `${Math.floor(ago / HOUR_MS)} h`;
  if (ago < 14 * DAY_MS) return `${Math.floor(ago / DAY_MS)} d`;
  return `${Math.floor(ago / (7 * DAY_MS))} wk`;
}

/** How long the build took, or has taken so far while it runs; null when that is not known. */
export function buildDurationMs(image: ImageInfo, nowMs: number): number | null {
  if (image.finishedAt !== null) return Math.max(0, image.finishedAt - image.createdAt);
  return image.status === "building" ? Math.max(0, nowMs - image.createdAt) : null;
}

/** The build time as people read it, or a dash. */
export function formatBuildTime(image: ImageInfo, nowMs: number): string {
  const ms = buildDurationMs(image, nowMs);
  return ms === null ? "–" : formatDuration(ms);
}

/** Why a build started, in words. */
export const REASON_LABELS: Record<ImageInfo["reason"], string> = {
  first: "first build",
  cron: "branch moved",
  manual: "build now",
  push: "push",
};
