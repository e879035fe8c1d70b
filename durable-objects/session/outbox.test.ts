import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { SessionEvent } from "../../protocol/events.ts";
import type { ServerMessage } from "../../protocol/room.ts";
import { OUTBOX_WINDOW_MS, Outbox } from "./outbox.ts";
import type { RoomSocket, SocketHub } from "./socket-hub.ts";

/** A socket that keeps what it was sent, parsed. */
function socket(id: string, subscribed: boolean) {
  const received: ServerMessage[] = [];
  const room: RoomSocket = {
    connection: { connectionId: id, userId: "usr_a", subscribed, typingUntil: 0 },
    send: (m) => void received.push(typeof m === "string" ? (JSON.parse(m) as ServerMessage) : m),
    update: () => room,
    close: () => {},
  };
  return { room, received };
}

const event = (seq: number): SessionEvent => ({
  seq,
  at: seq,
  actor: null,
  type: "session.stop_requested",
  data: { messageId: `msg_${seq}` },
});

const seqs = (messages: ServerMessage[]) =>
  messages.map((m) => (m.type === "events" ? m.events.map((e) => e.seq) : m.type));

describe("the outbox", () => {
  let outbox: Outbox;
  let live: ReturnType<typeof socket>;
  let joining: ReturnType<typeof socket>;
  beforeEach(() => {
    vi.useFakeTimers();
    live = socket("con_live", true);
    joining = socket("con_joining", false);
    const hub: SocketHub = { all: () => [live.room, joining.room] };
    outbox = new Outbox(hub, () => Date.now());
  });
  afterEach(() => vi.useRealTimers());

  it("sends at once when the room was quiet", () => {
    outbox.event(event(1));
    expect(seqs(live.received)).toEqual([[1]]);
    expect(joining.received).toEqual([]);
  });

  it("gathers what comes within a window, consecutive events in one frame, in order", () => {
    outbox.event(event(1));
    outbox.event(event(2));
    outbox.event(event(3));
    outbox.message({ type: "pong" }, "subscribed");
    outbox.event(event(4));
    outbox.message({ type: "presence", people: [] }, "all");
    expect(seqs(live.received)).toEqual([[1]]);
    vi.advanceTimersByTime(OUTBOX_WINDOW_MS - 1);
    expect(seqs(live.received)).toEqual([[1]]);
    vi.advanceTimersByTime(1);
    expect(seqs(live.received)).toEqual([[1], [2, 3], "pong", [4], "presence"]);
    // A socket that has not subscribed gets only what is for everyone.
    expect(seqs(joining.received)).toEqual(["presence"]);
  });

  it("splits a large gathering of events into frames of bounded size", () => {
    outbox.event(event(1));
    const big = (seq: number): SessionEvent => ({
      seq,
      at: seq,
      actor: null,
      type: "agent.text",
      data: { messageId: "msg_1", step: 0, index: seq, text: "x".repeat(200 * 1024) },
    });
    for (let seq = 2; seq <= 6; seq++) outbox.event(big(seq));
    vi.advanceTimersByTime(OUTBOX_WINDOW_MS);
    const frames = seqs(live.received);
    expect(frames.flat()).toEqual([1, 2, 3, 4, 5, 6]);
    expect(frames.length).toBeGreaterThan(2);
    for (const message of live.received) {
      expect(message.type === "events" && message.replay).toBe(false);
      expect(JSON.stringify(message).length).toBeLessThan(600 * 1024);
    }
  });

  it("sends what is pending when asked, and is quiet again one window later", () => {
    outbox.event(event(1));
    outbox.event(event(2));
    outbox.flush();
    expect(seqs(live.received)).toEqual([[1], [2]]);
    vi.advanceTimersByTime(OUTBOX_WINDOW_MS * 3);
    expect(seqs(live.received)).toEqual([[1], [2]]);
    outbox.event(event(3));
    expect(seqs(live.received)).toEqual([[1], [2], [3]]);
  });
});
