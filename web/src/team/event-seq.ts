// Which part of the timeline a panel follows: the newest event of the kinds it cares about.
import type { SessionEvent } from "../../../protocol/events.ts";

/** The seq of the newest event whose type starts with one of `prefixes`; 0 when there is none. */
export function lastSeqOf(events: readonly SessionEvent[], prefixes: readonly string[]): number {
  for (let i = events.length - 1; i >= 0; i--) {
    const event = events[i]!;
    if (prefixes.some((prefix) => event.type.startsWith(prefix))) return event.seq;
  }
  return 0;
}
