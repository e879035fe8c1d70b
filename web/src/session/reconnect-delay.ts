// How long to wait before reconnecting a dropped room socket.

/** The first retry waits about this long. */
export const FIRST_RETRY_MS = 500;
/** No retry waits longer than this. */
export const MAX_RETRY_MS = 15_000;

/** Exponential backoff with ±20 % jitter, so a room's clients do not all return at once. */
export function reconnectDelayMs(failures: number, random: () => number = Math.random): number {
  const base = Math.min(MAX_RETRY_MS, FIRST_RETRY_MS * 2 ** Math.max(0, failures - 1));
  return Math.round(base * (0.8 + 0.4 * random()));
}
