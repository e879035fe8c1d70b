import { describe, expect, it } from "vitest";
import type { Participant } from "../../protocol/api.ts";
import type { QueuedPrompt, SessionEvent } from "../../protocol/events.ts";
import { can, strongerRole } from "../../protocol/roles.ts";
import { nextTypingExpiry, presenceOf, type Connection } from "./presence.ts";
import { hasRoom, MAX_QUEUED_PROMPTS, nextToStart, statusOf } from "./prompt-queue.ts";
import { framesOf } from "./replay.ts";

const person = (login: string) => ({ userId: `usr_${login}`, login, name: null, avatarUrl: null });
const prompt = (text: string): QueuedPrompt => ({
  messageId: `msg_${text}`,
  clientId: text,
  author: person("alice"),
  text,
  state: "queued",
  createdAt: 0,
});

describe("roles", () => {
  it("lets viewers only read, collaborators prompt and stop, owners share", () => {
    expect(["read", "prompt", "stop", "share"].map((a) => can("viewer", a as never))).toEqual([
      true,
      false,
      false,
      false,
    ]);
    expect(["read", "prompt", "stop", "share"].map((a) => can("collaborator", a as never))).toEqual(
      [true, true, true, false],
    );
    expect(can("owner", "share")).toBe(true);
    expect(can("collaborator", "cancel_any_prompt")).toBe(false);
  });

  it("keeps the stronger of two roles", () => {
    expect(strongerRole("viewer", "collaborator")).toBe("collaborator");
    expect(strongerRole("owner", "viewer")).toBe("owner");
  });
});

describe("the queue", () => {
  it("starts the oldest queued prompt only when nothing runs and a runner exists", () => {
    const queue = { running: null, queued: [prompt("a"), prompt("b")] };
    expect(nextToStart(queue, true)?.text).toBe("a");
    expect(nextToStart(queue, false)).toBeNull();
    expect(nextToStart({ running: prompt("r"), queued: [prompt("a")] }, true)).toBeNull();
    expect(nextToStart({ running: null, queued: [] }, true)).toBeNull();
  });

  it("reports the session status the queue implies", () => {
    expect(statusOf({ running: null, queued: [] })).toBe("idle");
    expect(statusOf({ running: null, queued: [prompt("a")] })).toBe("queued");
    expect(statusOf({ running: prompt("r"), queued: [] })).toBe("running");
  });

  it("has room for a bounded number of waiting prompts", () => {
    const full = {
      running: null,
      queued: Array.from({ length: MAX_QUEUED_PROMPTS }, (_, i) => prompt(`${i}`)),
    };
    expect(hasRoom(full)).toBe(false);
    expect(hasRoom({ running: null, queued: full.queued.slice(1) })).toBe(true);
  });
});

describe("presence", () => {
  const participants = new Map<string, Participant>(
    ["alice", "bob"].map((login) => [
      `usr_${login}`,
      {
        person: person(login),
        role: login === "alice" ? "owner" : "viewer",
        joinedAt: 0,
        lastSeenAt: null,
      },
    ]),
  );
  const connection = (login: string, typingUntil = 0): Connection => ({
    connectionId: `con_${login}_${Math.random()}`,
    userId: `usr_${login}`,
    subscribed: true,
    typingUntil,
  });

  it("lists each person once with their connection count, typing if any socket types", () => {
    const people = presenceOf(
      [connection("bob"), connection("alice"), connection("alice", 2_000)],
      (id) => participants.get(id),
      1_000,
    );
    expect(people.map((p) => [p.person.login, p.connections, p.typing, p.role])).toEqual([
      ["alice", 2, true, "owner"],
      ["bob", 1, false, "viewer"],
    ]);
  });

  it("lets typing run out and skips sockets of people who are no longer participants", () => {
    const people = presenceOf(
      [connection("alice", 500), connection("ghost")],
      (id) => participants.get(id),
      1_000,
    );
    expect(people).toEqual([expect.objectContaining({ typing: false, connections: 1 })]);
    expect(
      nextTypingExpiry(
        [connection("alice", 500), connection("bob", 3_000), connection("bob", 2_000)],
        1_000,
      ),
    ).toBe(2_000);
    expect(nextTypingExpiry([connection("alice")], 1_000)).toBeNull();
  });
});

describe("replay frames", () => {
  const event = (seq: number, text: string): SessionEvent => ({
    seq,
    at: 0,
    actor: null,
    type: "prompt.queued",
    data: { prompt: prompt(text) },
  });

  it("keeps every event in order across frames no larger than the limit", () => {
    const events = Array.from({ length: 50 }, (_, i) => event(i + 1, "x".repeat(100)));
    const frames = framesOf(events, { replay: true, maxBytes: 1_000 });
    expect(frames.length).toBeGreaterThan(5);
    const decoded = frames.map(
      (f) => JSON.parse(f) as { type: string; replay: boolean; events: SessionEvent[] },
    );
    expect(decoded.every((f) => f.type === "events" && f.replay)).toBe(true);
    expect(decoded.flatMap((f) => f.events.map((e) => e.seq))).toEqual(events.map((e) => e.seq));
    for (const frame of frames)
      if (JSON.parse(frame).events.length > 1) expect(frame.length).toBeLessThan(1_100);
  });

  it("sends an event larger than the limit alone rather than dropping it", () => {
    const frames = framesOf([event(1, "a"), event(2, "y".repeat(5_000)), event(3, "b")], {
      replay: true,
      maxBytes: 1_000,
    });
    expect(
      frames.map((f) => (JSON.parse(f) as { events: SessionEvent[] }).events.map((e) => e.seq)),
    ).toEqual([[1], [2], [3]]);
  });

  it("makes no frame for an empty history", () => {
    expect(framesOf([])).toEqual([]);
  });
});
