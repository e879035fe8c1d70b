// Leaving a session and removing people from it, through the Worker and real Session objects:
// sockets closed with 4403, every later request refused, the index and the timeline kept level.
import { describe, expect, it } from "vitest";
import type { RemovedParticipant, SessionView } from "../../protocol/api.ts";
import type { SessionEvent } from "../../protocol/events.ts";
import { REMOVED_CLOSE_CODE } from "../../protocol/removal.ts";
import {
  TestSocket,
  createSession,
  holdingTurn,
  request,
  share,
  signUp,
  type TestPerson,
} from "./helpers.ts";

const remove = (actor: TestPerson, sessionId: string, userId: string) =>
  actor.api(`/api/sessions/${sessionId}/participants/${userId}`, { method: "DELETE" });

async function view(person: TestPerson, sessionId: string): Promise<SessionView> {
  return (
    (await (await person.api(`/api/sessions/${sessionId}`)).json()) as { session: SessionView }
  ).session;
}

async function listed(person: TestPerson): Promise<string[]> {
  const { sessions } = (await (await person.api("/api/sessions")).json()) as {
    sessions: { id: string }[];
  };
  return sessions.map((s) => s.id);
}

async function events(person: TestPerson, sessionId: string): Promise<SessionEvent[]> {
  return (
    (await (await person.api(`/api/sessions/${sessionId}/events?limit=1000`)).json()) as {
      events: SessionEvent[];
    }
  ).events;
}

async function expectError(response: Response, status: number, code: string, message?: string) {
  expect(response.status).toBe(status);
  expect(await response.json()).toMatchObject({
    error: { code, ...(message ? { message } : {}) },
  });
}

/** A link `owner` makes, and its id. */
async function link(owner: TestPerson, sessionId: string, role: "collaborator" | "viewer") {
  const created = await owner.api(`/api/sessions/${sessionId}/share-links`, { body: { role } });
  return (await created.json()) as { token: string; link: { id: string } };
}

describe("removing a participant", () => {
  it("closes every socket of theirs with 4403 after telling them, and shuts them out", async () => {
    const alice = await signUp();
    const bob = await signUp();
    const id = await createSession(alice);
    await share(alice, id, bob, "collaborator");
    const watching = await TestSocket.open(alice, id);
    await watching.subscribe(0);
    const tabs = [await TestSocket.open(bob, id), await TestSocket.open(bob, id)];
    await tabs[0]!.subscribe(0);
    await watching.next("presence", (m) => m.people.some((p) => p.person.userId === bob.user.id));

    const response = await remove(alice, id, bob.user.id);
    expect(response.status).toBe(200);
    expect((await response.json()) as RemovedParticipant).toEqual({
      person: { userId: bob.user.id, login: bob.user.login, name: bob.user.name, avatarUrl: null },
      role: "collaborator",
      reason: "removed",
    });
    for (const tab of tabs)
      expect(await tab.closed).toEqual({
        code: REMOVED_CLOSE_CODE,
        reason: "removed from the session",
      });
    // The subscribed tab saw why before it closed.
    expect(tabs[0]!.events().at(-1)).toMatchObject({
      type: "participant.removed",
      actor: { userId: alice.user.id },
      data: { person: { userId: bob.user.id }, role: "collaborator", reason: "removed" },
    });
    const presence = await watching.next(
      "presence",
      (m) => !m.people.some((p) => p.person.userId === bob.user.id),
    );
    expect(presence.people.map((p) => p.person.userId)).toEqual([alice.user.id]);
    expect((await events(alice, id)).at(-1)).toMatchObject({
      type: "participant.removed",
      actor: { userId: alice.user.id },
      data: { person: { userId: bob.user.id }, reason: "removed" },
    });
    expect((await view(alice, id)).participants.map((p) => p.person.userId)).toEqual([
      alice.user.id,
    ]);

    // Every later request of bob's is refused as if the session did not exist.
    for (const path of [`/api/sessions/${id}`, `/api/sessions/${id}/events`])
      await expectError(await bob.api(path), 404, "not_found", "Session not found.");
    await expectError(
      await bob.api(`/api/sessions/${id}/prompts`, { body: { clientId: "b2", text: "still me?" } }),
      404,
      "not_found",
    );
    const upgrade = await request(`/api/sessions/${id}/ws`, {
      headers: { Upgrade: "websocket", Authorization: `Bearer ${bob.token}` },
    });
    expect(upgrade.webSocket).toBeNull();
    await expectError(upgrade, 404, "not_found");
    expect(await listed(bob)).not.toContain(id);
    expect(await listed(alice)).toContain(id);
    watching.close();
  });

  it("keeps the prompts the removed person queued, under their name", async () => {
    const alice = await signUp();
    const bob = await signUp();
    const id = await createSession(alice, {
      prompt: { clientId: "hold", text: await holdingTurn() },
    });
    await share(alice, id, bob, "collaborator");
    const queued = await bob.api(`/api/sessions/${id}/prompts`, {
      body: { clientId: "b1", text: "Tidy the README" },
    });
    expect(queued.status).toBe(201);
    expect((await remove(alice, id, bob.user.id)).status).toBe(200);
    const { queue } = await view(alice, id);
    expect(queue.queued).toEqual([
      expect.objectContaining({
        text: "Tidy the README",
        state: "queued",
        author: expect.objectContaining({ userId: bob.user.id, login: bob.user.login }),
      }),
    ]);
    await alice.api(`/api/sessions/${id}/stop`, { body: {} });
  });

  it("lets a collaborator or a viewer remove nobody but themselves", async () => {
    const alice = await signUp();
    const bob = await signUp();
    const carol = await signUp();
    const id = await createSession(alice);
    await share(alice, id, bob, "collaborator");
    await share(alice, id, carol, "viewer");
    await expectError(
      await remove(bob, id, carol.user.id),
      403,
      "forbidden",
      "As a collaborator you cannot remove other people from this session; only its owner can.",
    );
    await expectError(await remove(carol, id, bob.user.id), 403, "forbidden");
    await expectError(await remove(bob, id, alice.user.id), 403, "forbidden");
    expect((await view(alice, id)).participants).toHaveLength(3);
  });

  it("never removes the owner, not even at their own asking", async () => {
    const alice = await signUp();
    const id = await createSession(alice);
    await expectError(
      await remove(alice, id, alice.user.id),
      403,
      "forbidden",
      "The owner cannot leave their own session; ownership cannot be handed to someone else.",
    );
    expect((await view(alice, id)).role).toBe("owner");
  });

  it("answers not_found for someone who takes no part, and tells outsiders nothing", async () => {
    const alice = await signUp();
    const bob = await signUp();
    const mallory = await signUp();
    const id = await createSession(alice);
    await share(alice, id, bob, "viewer");
    await expectError(
      await remove(alice, id, mallory.user.id),
      404,
      "not_found",
      "That person is not a participant of this session.",
    );
    await expectError(
      await remove(mallory, id, bob.user.id),
      404,
      "not_found",
      "Session not found.",
    );
    await expectError(await remove(alice, id, "bob"), 400, "invalid_input");
    expect((await view(alice, id)).participants).toHaveLength(2);
  });
});

describe("leaving a session", () => {
  it("takes the person out, closes their sockets and drops the session from their list", async () => {
    const alice = await signUp();
    const bob = await signUp();
    const id = await createSession(alice);
    await share(alice, id, bob, "viewer");
    const socket = await TestSocket.open(bob, id);
    await socket.next("hello");
    const response = await remove(bob, id, bob.user.id);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ role: "viewer", reason: "left" });
    expect(await socket.closed).toEqual({ code: REMOVED_CLOSE_CODE, reason: "left the session" });
    expect(await listed(bob)).not.toContain(id);
    expect((await events(alice, id)).at(-1)).toMatchObject({
      type: "participant.removed",
      actor: { userId: bob.user.id },
      data: { person: { userId: bob.user.id }, role: "viewer", reason: "left" },
    });
    await expectError(await remove(bob, id, bob.user.id), 404, "not_found");
  });
});

describe("coming back after being removed", () => {
  it("takes a valid link, like anyone, and not a revoked one", async () => {
    const alice = await signUp();
    const bob = await signUp();
    const id = await createSession(alice);
    const first = await link(alice, id, "collaborator");
    expect(
      (await bob.api(`/api/sessions/${id}/join`, { body: { token: first.token } })).status,
    ).toBe(200);
    expect((await remove(alice, id, bob.user.id)).status).toBe(200);
    await alice.api(`/api/sessions/${id}/share-links/${first.link.id}`, { method: "DELETE" });
    await expectError(
      await bob.api(`/api/sessions/${id}/join`, { body: { token: first.token } }),
      410,
      "link_revoked",
    );
    expect((await bob.api(`/api/sessions/${id}`)).status).toBe(404);

    const second = await link(alice, id, "viewer");
    const joined = await bob.api(`/api/sessions/${id}/join`, { body: { token: second.token } });
    expect(joined.status).toBe(200);
    const { session } = (await joined.json()) as { session: SessionView };
    expect(session.role).toBe("viewer");
    expect(session.participants.map((p) => [p.person.userId, p.role])).toEqual([
      [alice.user.id, "owner"],
      [bob.user.id, "viewer"],
    ]);
    expect(await listed(bob)).toContain(id);
    expect((await events(alice, id)).at(-1)).toMatchObject({
      type: "participant.joined",
      data: { person: { userId: bob.user.id }, role: "viewer", via: "share_link" },
    });
    const socket = await TestSocket.open(bob, id);
    expect(await socket.next("hello")).toMatchObject({ role: "viewer" });
    socket.close();
  });
});
