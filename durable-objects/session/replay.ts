// Splits events into socket frames small enough to send and large enough to be fast: a replayed
// history, or the live events a busy room gathered.
import type { SessionEvent } from "../../protocol/events.ts";

/** Upper bound on one replay frame's JSON size. */
export const MAX_REPLAY_FRAME_BYTES = 512 * 1024;

/** Groups events into frames of at most `maxBytes` of JSON each (one event per frame at least). */
export function framesOf(
  events: readonly SessionEvent[],
  options: { replay: boolean; maxBytes?: number } = { replay: true },
): string[] {
  const maxBytes = options.maxBytes ?? MAX_REPLAY_FRAME_BYTES;
  const frames: string[] = [];
  let parts: string[] = [];
  let size = 0;
  const flush = () => {
    if (parts.length === 0) return;
    frames.push(`{"type":"events","replay":${options.replay},"events":[${parts.join(",")}]}`);
    parts = [];
    size = 0;
  };
  for (const event of events) {
    const json = JSON.stringify(event);
    if (size + json.length > maxBytes) flush();
    parts.push(json);
    size += json.length + 1;
  }
  flush();
  return frames;
}
