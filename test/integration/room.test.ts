import { env } from "cloudflare:workers";
import { evictDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { MAX_CLIENT_FRAME_BYTES } from "../../protocol/room.ts";
import {
  createSession,
  holdingTurn,
  ORIGIN,
  request,
  share,
  signUp,
  TestSocket,
} from "./helpers.ts";

const stubOf = (sessionId: string) => env.SESSION.get(env.SESSION.idFromName(sessionId));

describe("the live room", () => {
  it("greets a participant with who they are, the queue and who is here", async () => {
    const alice = await signUp();
    const id = await createSession(alice);
    const socket = await TestSocket.open(alice, id);
    const hello = await socket.next("hello");
    expect(hello).toMatchObject({
      sessionId: id,
      role: "owner",
      you: { login: alice.user.login },
      lastSeq: 2,
    });
    await socket.next("queue");
    const presence = await socket.next("presence");
    expect(presence.people).toEqual([
      expect.objectContaining({ connections: 1, typing: false, role: "owner" }),
    ]);
    socket.close();
  });

  it("shows one person's prompt live to another, with its author", async () => {
    const alice = await signUp();
    const bob = await signUp();
    const id = await createSession(alice);
    await share(alice, id, bob, "collaborator");
    const watcher = await TestSocket.open(bob, id);
    await watcher.subscribe(0);
    const prompter = await TestSocket.open(alice, id);
    await prompter.subscribe(0);
    // A turn is running, so the prompt waits in the queue.
    prompter.send({ type: "prompt", clientId: "hold", text: await holdingTurn() });
    await prompter.next("prompt.accepted");
    prompter.send({ type: "prompt", clientId: "c-1", text: "Add a dark mode" });
    const accepted = await prompter.next("prompt.accepted", (m) => m.clientId === "c-1");
    expect(accepted).toMatchObject({ clientId: "c-1", duplicate: false });
    const live = await watcher.next(
      "events",
      (m) =>
        !m.replay &&
        m.events.some((e) => e.type === "prompt.queued" && e.data.prompt.clientId === "c-1"),
    );
    const event = live.events[0]!;
    expect(event.type === "prompt.queued" && event.data.prompt).toMatchObject({
      text: "Add a dark mode",
      messageId: accepted.messageId,
      author: { userId: alice.user.id, login: alice.user.login, name: alice.user.name },
    });
    expect(event.actor?.userId).toBe(alice.user.id);
    const queue = await watcher.next("queue", (m) => m.queue.queued.length === 1);
    expect(queue.queue.queued[0]?.author.login).toBe(alice.user.login);
    // The same client id again is acknowledged as a duplicate and queues nothing new.
    prompter.send({ type: "prompt", clientId: "c-1", text: "Add a dark mode" });
    await prompter.next("prompt.accepted", (m) => m.duplicate);
    expect(watcher.events().filter((e) => e.type === "prompt.queued")).toHaveLength(2);
    watcher.close();
    prompter.close();
  });

  it("replays the history after a cursor, then streams, with no gap and no duplicate across reconnects", async () => {
    const alice = await signUp();
    const id = await createSession(alice);
    const first = await TestSocket.open(alice, id);
    await first.subscribe(0);
    // The first turn runs until stopped; the rest of the story is prompts queuing behind it.
    first.send({ type: "prompt", clientId: "hold", text: await holdingTurn() });
    await first.next("prompt.accepted");
    await first.next("events", (m) => m.events.some((e) => e.type === "agent.turn_started"));
    for (let i = 0; i < 3; i++) {
      first.send({ type: "prompt", clientId: `a${i}`, text: `prompt ${i}` });
      await first.next("prompt.accepted", (m) => m.clientId === `a${i}`);
    }
    const seenBefore = first.events();
    const cursor = seenBefore.at(-1)!.seq;
    first.close();
    // While nobody listens, more happens.
    for (let i = 3; i < 6; i++)
      await alice.api(`/api/sessions/${id}/prompts`, {
        body: { clientId: `a${i}`, text: `prompt ${i}` },
      });
    const second = await TestSocket.open(alice, id);
    const subscribed = await second.subscribe(cursor);
    second.send({ type: "prompt", clientId: "a6", text: "prompt 6" });
    await second.next("events", (m) =>
      m.events.some((e) => e.type === "prompt.queued" && e.data.prompt.clientId === "a6"),
    );
    const all = [...seenBefore, ...second.events()];
    expect(all.map((e) => e.seq)).toEqual(all.map((_, i) => i + 1));
    expect(subscribed.lastSeq).toBe(cursor + 3);
    second.close();
  });

  it("keeps sockets and cursors across hibernation", async () => {
    const alice = await signUp();
    const bob = await signUp();
    const id = await createSession(alice);
    await share(alice, id, bob, "viewer");
    const watcher = await TestSocket.open(bob, id);
    await watcher.subscribe(0);
    const before = watcher.events().length;
    await evictDurableObject(stubOf(id), { webSockets: "hibernate" });
    // The object wakes for the HTTP prompt and still knows the watcher is subscribed.
    const response = await alice.api(`/api/sessions/${id}/prompts`, {
      body: { clientId: "after-sleep", text: "still there?" },
    });
    expect(response.status).toBe(201);
    await watcher.next("events", (m) => m.events.some((e) => e.type === "prompt.queued"));
    const events = watcher.events();
    expect(events.slice(before).map((e) => e.type)[0]).toBe("prompt.queued");
    expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));
    // And it still answers the hibernated socket's own messages.
    const at = watcher.received.length;
    watcher.send({ type: "typing", typing: true });
    await watcher.next("error", (m) => m.code === "forbidden", at);
    watcher.close();
  });

  it("refuses a viewer's prompt over the socket and carries on", async () => {
    const alice = await signUp();
    const viewer = await signUp();
    const id = await createSession(alice);
    await share(alice, id, viewer, "viewer");
    const socket = await TestSocket.open(viewer, id);
    await socket.subscribe(0);
    socket.send({ type: "prompt", clientId: "v1", text: "let me prompt" });
    const error = await socket.next("error");
    expect(error).toMatchObject({ code: "forbidden", replyTo: "v1", retryable: false });
    socket.send({ type: "stop" });
    await socket.next("error", (m) => m.replyTo === "stop" && m.code === "forbidden");
    const { session } = (await (await alice.api(`/api/sessions/${id}`)).json()) as {
      session: { queue: { queued: unknown[] } };
    };
    expect(session.queue.queued).toEqual([]);
    socket.close();
  });

  it("answers garbage with typed errors while the room keeps working", async () => {
    const alice = await signUp();
    const id = await createSession(alice);
    const socket = await TestSocket.open(alice, id);
    await socket.subscribe(0);
    const cases: [unknown, string][] = [
      ["{not json", "malformed_message"],
      ["[1,2,3]", "malformed_message"],
      ["42", "malformed_message"],
      ["null", "malformed_message"],
      [{ type: "launch_missiles" }, "unknown_message"],
      [{ noType: true }, "unknown_message"],
      [{ type: "subscribe", cursor: -1 }, "invalid_input"],
      [{ type: "subscribe", cursor: "zero" }, "invalid_input"],
      [{ type: "subscribe", cursor: 9_999 }, "invalid_input"],
      [{ type: "prompt", clientId: "x" }, "invalid_input"],
      [{ type: "prompt", clientId: "bad id with spaces", text: "hi" }, "invalid_input"],
      [{ type: "prompt", clientId: "x", text: "" }, "invalid_input"],
      [{ type: "prompt", clientId: "x", text: "y".repeat(40_000) }, "invalid_input"],
      [
        { type: "prompt", clientId: "x", text: "z".repeat(MAX_CLIENT_FRAME_BYTES) },
        "payload_too_large",
      ],
      [{ type: "prompt.cancel", messageId: "msg_nope" }, "not_found"],
      [{ type: "stop" }, "nothing_running"],
    ];
    for (const [message, code] of cases) {
      const at = socket.received.length;
      socket.send(message);
      const error = await socket.next("error", () => true, at);
      expect(error.code, JSON.stringify(message).slice(0, 80)).toBe(code);
      expect(error.message.length).toBeGreaterThan(10);
    }
    const at = socket.received.length;
    socket.send({ type: "prompt", clientId: "named", text: "" });
    expect(await socket.next("error", () => true, at)).toMatchObject({
      code: "invalid_input",
      replyTo: "named",
    });
    socket.ws.send(new Uint8Array([1, 2, 3]));
    await socket.next(
      "error",
      (m) => m.code === "malformed_message" && m.message.includes("binary"),
    );
    // Still alive: a valid prompt goes through.
    socket.send({ type: "prompt", clientId: "ok", text: "valid after all that" });
    await socket.next("prompt.accepted", (m) => m.clientId === "ok");
    socket.close();
  });

  it("shows who is here and who is typing", async () => {
    const alice = await signUp();
    const bob = await signUp();
    const id = await createSession(alice);
    await share(alice, id, bob, "collaborator");
    const a = await TestSocket.open(alice, id);
    await a.next("presence");
    const b = await TestSocket.open(bob, id);
    const both = await a.next("presence", (m) => m.people.length === 2);
    expect(both.people.map((p) => p.person.userId).sort()).toEqual(
      [alice.user.id, bob.user.id].sort(),
    );
    b.send({ type: "typing", typing: true });
    const typing = await a.next("presence", (m) =>
      m.people.some((p) => p.person.userId === bob.user.id && p.typing),
    );
    expect(typing.people.find((p) => p.person.userId === alice.user.id)?.typing).toBe(false);
    b.send({ type: "typing", typing: false });
    await a.next(
      "presence",
      (m) => m.people.every((p) => !p.typing),
      a.received.indexOf(typing) + 1,
    );
    b.close();
    await a.next("presence", (m) => m.people.length === 1, a.received.indexOf(typing) + 1);
    a.close();
  });

  it("refuses sockets from outsiders, strangers' pages and unauthenticated clients", async () => {
    const alice = await signUp();
    const mallory = await signUp();
    const id = await createSession(alice);
    await expect(TestSocket.open(mallory, id)).rejects.toThrow(/404/);
    await expect(TestSocket.open(alice, id, { Origin: "https://evil.example" })).rejects.toThrow(
      /403/,
    );
    const own = await TestSocket.open(alice, id, { Origin: ORIGIN });
    await own.next("hello");
    own.close();
    const anonymous = await request(`/api/sessions/${id}/ws`, {
      headers: { Upgrade: "websocket" },
    });
    expect(anonymous.status).toBe(401);
    const plain = await alice.api(`/api/sessions/${id}/ws`);
    expect(plain.status).toBe(400);
  });

  it("answers the keepalive ping", async () => {
    const alice = await signUp();
    const id = await createSession(alice);
    const socket = await TestSocket.open(alice, id);
    socket.send({ type: "ping" });
    await socket.next("pong");
    socket.close();
  });
});
