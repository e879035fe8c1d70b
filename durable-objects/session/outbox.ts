// What the room sends to all its sockets, in order and in few frames. A message goes out at once
// when the room has been quiet for a window; while it is busy, what comes within a window travels
// together, and consecutive timeline events share one `events` frame. Sending a frame costs the
// platform about the same whatever its size, so a room streaming a thousand events a second sends
// about sixty frames a second to each socket instead.
import type { SessionEvent } from "../../protocol/events.ts";
import type { ServerMessage } from "../../protocol/room.ts";
import { framesOf } from "./replay.ts";
import type { SocketHub } from "./socket-hub.ts";

/** How long a busy room gathers messages before it sends them: one frame of a 60 Hz display, so
 * no screen could have shown the messages apart. */
export const OUTBOX_WINDOW_MS = 16;

/** Who a message is for: sockets level with the timeline, or every open socket. */
type Audience = "subscribed" | "all";

type Entry =
  | { kind: "events"; events: SessionEvent[] }
  | { kind: "message"; message: ServerMessage; audience: Audience };

type Timer = ReturnType<typeof setTimeout>;

export class Outbox {
  private readonly hub: SocketHub;
  private readonly now: () => number;
  private pending: Entry[] = [];
  private lastFlushAt = -Infinity;
  private timer: Timer | null = null;

  constructor(hub: SocketHub, now: () => number) {
    this.hub = hub;
    this.now = now;
  }

  /** A stored event for the subscribed sockets. */
  event(event: SessionEvent): void {
    const last = this.pending.at(-1);
    if (last?.kind === "events") last.events.push(event);
    else this.pending.push({ kind: "events", events: [event] });
    this.schedule();
  }

  /** A message for the subscribed sockets, or for every open socket. */
  message(message: ServerMessage, audience: Audience): void {
    this.pending.push({ kind: "message", message, audience });
    this.schedule();
  }

  /** Sends everything pending now: before a socket is sent anything of its own, or subscribes. */
  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.lastFlushAt = this.now();
    if (this.pending.length === 0) return;
    const entries = this.pending;
    this.pending = [];
    const sockets = this.hub.all();
    const subscribed = sockets.filter((socket) => socket.connection.subscribed);
    for (const entry of entries) {
      if (entry.kind === "events") {
        for (const frame of framesOf(entry.events, { replay: false })) {
          for (const socket of subscribed) socket.send(frame);
        }
        continue;
      }
      const frame = JSON.stringify(entry.message);
      for (const socket of entry.audience === "all" ? sockets : subscribed) socket.send(frame);
    }
  }

  private schedule(): void {
    if (this.timer) return;
    const wait = this.lastFlushAt + OUTBOX_WINDOW_MS - this.now();
    if (wait <= 0) return this.flush();
    this.timer = setTimeout(() => this.flush(), wait);
  }
}
