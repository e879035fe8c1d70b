import { describe, expect, it } from "vitest";
import type { Person, QueuedPrompt, SessionEvent } from "../../../protocol/events.ts";
import type { ServerMessage } from "../../../protocol/room.ts";
import {
  isReconnecting,
  MAX_TOASTS,
  othersTyping,
  roomReducer,
  roomStateFrom,
  type RoomAction,
  type RoomState,
} from "./room-state.ts";

const ada: Person = { userId: "usr_ada", login: "ada", name: "Ada Lovelace", avatarUrl: null };
const bob: Person = { userId: "usr_bob", login: "bob", name: null, avatarUrl: null };

const emptyQueue = { running: null, queued: [] };
const noUsage = {
  inputTokens: 0,
  outputTokens: 0,
  cacheReadTokens: 0,
  cacheWriteTokens: 0,
  costUsd: 0,
};
const settings = { model: "claude-test", spendLimitUsd: null, usage: noUsage };
const start = () => roomStateFrom({ role: "owner", queue: emptyQueue, ...settings });

function prompt(messageId: string, author: Person, clientId = `c-${messageId}`): QueuedPrompt {
  return {
    messageId,
    clientId,
    author,
    text: `text of ${messageId}`,
    state: "queued",
    createdAt: 1,
  };
}

function queued(seq: number, p: QueuedPrompt): SessionEvent {
  return { seq, at: seq, actor: p.author, type: "prompt.queued", data: { prompt: p } };
}

function joined(seq: number, person: Person): SessionEvent {
  return {
    seq,
    at: seq,
    actor: person,
    type: "participant.joined",
    data: { person, role: "collaborator", via: "share_link" },
  };
}

const server = (message: ServerMessage): RoomAction => ({ type: "server", message });
const events = (list: SessionEvent[], replay = false) =>
  server({ type: "events", events: list, replay });
const hello = (you: Person = ada) =>
  server({
    type: "hello",
    connectionId: "con_1",
    sessionId: "ses_1",
    you,
    role: "owner",
    lastSeq: 0,
  });

function run(state: RoomState, ...actions: RoomAction[]): RoomState {
  return actions.reduce(roomReducer, state);
}

describe("roomReducer", () => {
  it("drops events it has already seen when a reconnect replays them", () => {
    const first = run(
      start(),
      hello(),
      events([joined(1, ada), joined(2, bob)], true),
      server({ type: "subscribed", cursor: 0, lastSeq: 2 }),
    );
    const afterReconnect = run(
      first,
      { type: "socket.closed", fatal: false },
      { type: "socket.connecting" },
      hello(),
      events([joined(2, bob), queued(3, prompt("msg_1", bob))], true),
    );
    expect(afterReconnect.events.map((e) => e.seq)).toEqual([1, 2, 3]);
    expect(afterReconnect.lastSeq).toBe(3);
  });

  it("ignores a live event that repeats one already applied", () => {
    const state = run(start(), events([joined(1, ada)]), events([joined(1, ada)]));
    expect(state.events).toHaveLength(1);
  });

  it("keeps the timeline in seq order when a frame lists events out of order", () => {
    const state = run(start(), events([joined(3, bob), joined(1, ada), joined(2, bob)]));
    expect(state.events.map((e) => e.seq)).toEqual([1, 2, 3]);
  });

  it("follows a prompt from queued through started to finished", () => {
    const p = prompt("msg_1", bob);
    const state = run(
      start(),
      events([
        queued(1, p),
        { seq: 2, at: 2, actor: null, type: "prompt.started", data: { messageId: "msg_1" } },
      ]),
    );
    expect(state.prompts.msg_1?.state).toBe("running");
    const finished = run(
      state,
      events([
        {
          seq: 3,
          at: 3,
          actor: null,
          type: "prompt.finished",
          data: { messageId: "msg_1", state: "failed", reason: "boom" },
        },
      ]),
    );
    expect(finished.prompts.msg_1?.state).toBe("failed");
  });

  it("marks a cancelled prompt as cancelled", () => {
    const state = run(
      start(),
      events([
        queued(1, prompt("msg_1", bob)),
        { seq: 2, at: 2, actor: ada, type: "prompt.cancelled", data: { messageId: "msg_1" } },
      ]),
    );
    expect(state.prompts.msg_1?.state).toBe("cancelled");
  });

  it("replaces the queue with each queue message", () => {
    const p = prompt("msg_1", bob);
    const state = run(
      start(),
      server({ type: "queue", queue: { running: null, queued: [p] } }),
      server({ type: "queue", queue: { running: p, queued: [] } }),
    );
    expect(state.queue).toEqual({ running: p, queued: [] });
  });

  it("replaces presence with each presence message and reports who else is typing", () => {
    const state = run(
      start(),
      hello(ada),
      server({
        type: "presence",
        people: [{ person: ada, role: "owner", connections: 1, typing: true }],
      }),
      server({
        type: "presence",
        people: [
          { person: ada, role: "owner", connections: 2, typing: true },
          { person: bob, role: "collaborator", connections: 1, typing: true },
        ],
      }),
    );
    expect(state.presence).toHaveLength(2);
    expect(othersTyping(state)).toEqual([bob]);
  });

  it("forgets who is present while the socket is closed", () => {
    const state = run(
      start(),
      server({
        type: "presence",
        people: [{ person: bob, role: "viewer", connections: 1, typing: false }],
      }),
      { type: "socket.closed", fatal: false },
    );
    expect(state.presence).toEqual([]);
  });

  it("says it is reconnecting after a drop until the room is live again", () => {
    const dropped = run(start(), hello(), server({ type: "subscribed", cursor: 0, lastSeq: 0 }), {
      type: "socket.closed",
      fatal: false,
    });
    expect(dropped.status).toBe("offline");
    expect(isReconnecting(dropped)).toBe(true);
    const retrying = run(dropped, { type: "socket.connecting" }, hello());
    expect(isReconnecting(retrying)).toBe(true);
    const live = run(retrying, server({ type: "subscribed", cursor: 0, lastSeq: 0 }));
    expect(live.status).toBe("live");
    expect(isReconnecting(live)).toBe(false);
  });

  it("stops reconnecting when the room refuses the socket for good", () => {
    const state = run(start(), { type: "socket.closed", fatal: true });
    expect(state.status).toBe("closed");
    expect(isReconnecting(state)).toBe(false);
  });

  it("remembers that the owner removed me, or that I left", () => {
    expect(start().removal).toBeNull();
    const removed = run(start(), { type: "socket.closed", fatal: true, removal: "removed" });
    expect(removed).toMatchObject({ status: "closed", removal: "removed" });
    expect(isReconnecting(removed)).toBe(false);
    const left = run(start(), { type: "socket.closed", fatal: true, removal: "left" });
    expect(left.removal).toBe("left");
  });

  it("takes my identity and role from the hello message", () => {
    const state = run(
      start(),
      server({
        type: "hello",
        connectionId: "con_1",
        sessionId: "ses_1",
        you: bob,
        role: "viewer",
        lastSeq: 4,
      }),
    );
    expect(state.me).toEqual(bob);
    expect(state.role).toBe("viewer");
    expect(state.status).toBe("syncing");
  });

  it("keeps a composed prompt pending until the room accepts it", () => {
    const composed = run(start(), { type: "prompt.composed", clientId: "c1", text: "hi" });
    expect(composed.pending).toEqual([{ clientId: "c1", text: "hi" }]);
    const accepted = run(
      composed,
      server({ type: "prompt.accepted", clientId: "c1", messageId: "msg_1", duplicate: false }),
    );
    expect(accepted.pending).toEqual([]);
  });

  it("clears a pending prompt when its queued event arrives even if the acceptance was lost", () => {
    const state = run(
      start(),
      hello(ada),
      { type: "prompt.composed", clientId: "c1", text: "hi" },
      events([queued(1, prompt("msg_1", ada, "c1"))]),
    );
    expect(state.pending).toEqual([]);
  });

  it("turns an error into a toast and drops the pending prompt it answers", () => {
    const state = run(
      start(),
      { type: "prompt.composed", clientId: "c1", text: "hi" },
      server({
        type: "error",
        code: "queue_full",
        message: "The queue is full.",
        retryable: true,
        replyTo: "c1",
      }),
    );
    expect(state.pending).toEqual([]);
    expect(state.toasts).toEqual([{ id: 1, code: "queue_full", message: "The queue is full." }]);
  });

  it("keeps pending prompts when an error answers something else", () => {
    const state = run(
      start(),
      { type: "prompt.composed", clientId: "c1", text: "hi" },
      server({
        type: "error",
        code: "nothing_running",
        message: "Nothing is running.",
        retryable: false,
        replyTo: "stop",
      }),
    );
    expect(state.pending).toHaveLength(1);
    expect(state.toasts).toHaveLength(1);
  });

  it("shows only the newest toasts and removes one when dismissed", () => {
    let state = start();
    for (let i = 0; i < MAX_TOASTS + 2; i++)
      state = roomReducer(state, { type: "toast.added", code: "offline", message: `m${i}` });
    expect(state.toasts.map((t) => t.message)).toEqual(["m2", "m3", "m4", "m5"]);
    const dismissed = roomReducer(state, { type: "toast.dismissed", id: state.toasts[0]!.id });
    expect(dismissed.toasts.map((t) => t.message)).toEqual(["m3", "m4", "m5"]);
  });

  it("seeds the queue, role, model settings and usage from the session read over HTTP", () => {
    const p = prompt("msg_9", bob);
    const state = roomStateFrom({
      role: "viewer",
      queue: { running: p, queued: [] },
      model: "claude-big",
      spendLimitUsd: 5,
      usage: { ...noUsage, costUsd: 0.5 },
    });
    expect(state.role).toBe("viewer");
    expect(state.queue.running).toEqual(p);
    expect(state.status).toBe("connecting");
    expect(state.agent.settings).toEqual({ model: "claude-big", spendLimitUsd: 5 });
    expect(state.agent.sessionUsage?.costUsd).toBe(0.5);
  });
});
