// Sessions working together, in real Session objects: a parent spawns children that run their own
// turns, reads their status and summaries, waits for them, and exchanges mail that wakes them.
import { env } from "cloudflare:workers";
import { evictDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { SessionEvent } from "../../protocol/events.ts";
import type { TeamView } from "../../protocol/team.ts";
import { eventsOf, scriptMarker, text, tool } from "./scripted.ts";
import { createSession, share, signUp, type TestPerson } from "./helpers.ts";

async function teamOf(person: TestPerson, sessionId: string): Promise<TeamView> {
  const response = await person.api(`/api/sessions/${sessionId}/team`);
  expect(response.status).toBe(200);
  return ((await response.json()) as { team: TeamView }).team;
}

/** Waits until `count` turns finished in the session and returns its events. */
async function turnsFinished(person: TestPerson, sessionId: string, count: number) {
  await expect
    .poll(
      async () =>
        (await eventsOf(person, sessionId)).filter((e) => e.type === "prompt.finished").length,
      { timeout: 20_000, interval: 100 },
    )
    .toBeGreaterThanOrEqual(count);
  return eventsOf(person, sessionId);
}

function toolOutputs(events: SessionEvent[], name: string): string[] {
  return events.flatMap((e) =>
    e.type === "agent.tool_finished" && e.data.name === name ? [e.data.output] : [],
  );
}

describe("child sessions", () => {
  it("spawns a child that works in parallel, then reads its status and summary", async () => {
    const owner = await signUp();
    const viewer = await signUp();
    const child = await scriptMarker("team", [text("There are 3 modules: api, core and cli.")]);
    const parent = await scriptMarker("team", [
      tool("spawn_session", {
        prompt: `${child} Count the modules.`,
        title: "Count modules",
        role: "counter",
        name: "counter",
      }),
      tool("wait_for_sessions", { sessions: ["counter"], timeout_seconds: 20 }),
      tool("session_status", { session: "counter" }),
      text("The child counted 3 modules."),
    ]);
    const sessionId = await createSession(owner, { title: "Lead" });
    await share(owner, sessionId, viewer, "viewer");
    await owner.api(`/api/sessions/${sessionId}/prompts`, {
      body: { clientId: "c1", text: `${parent} How many modules?` },
    });
    const events = await turnsFinished(owner, sessionId, 1);

    const spawned = events.find((e) => e.type === "team.child_spawned");
    expect(spawned?.data).toMatchObject({ name: "counter", role: "counter", repo: "acme/widgets" });
    const childId = (spawned!.data as { sessionId: string }).sessionId;
    const waited = toolOutputs(events, "wait_for_sessions")[0]!;
    expect(waited).toContain("Finished:");
    expect(waited).toContain("There are 3 modules");
    expect(toolOutputs(events, "session_status")[0]).toContain("idle, last turn done");
    expect(events.find((e) => e.type === "prompt.finished")?.data).toMatchObject({ state: "done" });

    // The tree is visible to the people of the parent, and the child is a session of its own.
    const team = await teamOf(viewer, sessionId);
    expect(team.self).toMatchObject({ name: "lead", depth: 0 });
    expect(team.children).toEqual([
      expect.objectContaining({
        sessionId: childId,
        name: "counter",
        state: "idle",
        lastTurn: "done",
        summary: "There are 3 modules: api, core and cli.",
      }),
    ]);
    const childEvents = await eventsOf(viewer, childId);
    expect(childEvents.find((e) => e.type === "team.linked")?.data).toMatchObject({
      parent: { sessionId, title: "Lead" },
      name: "counter",
    });
    const childTeam = await teamOf(owner, childId);
    expect(childTeam.parent?.sessionId).toBe(sessionId);
    expect(childTeam.self).toMatchObject({ name: "counter", role: "counter", depth: 1 });
    // The child is listed for the people of the parent.
    const listed = (await (await viewer.api("/api/sessions")).json()) as {
      sessions: { id: string }[];
    };
    expect(listed.sessions.map((s) => s.id)).toContain(childId);
    // Someone outside sees neither.
    const outsider = await signUp();
    expect((await outsider.api(`/api/sessions/${childId}/team`)).status).toBe(404);
  });

  it("refuses a spawn past the depth limit with a message that says why", async () => {
    const owner = await signUp();
    const grandchild = await scriptMarker("team", [
      tool("spawn_session", { prompt: "too deep", title: "Too deep" }),
      text("I could not go deeper."),
    ]);
    const child = await scriptMarker("team", [
      tool("spawn_session", { prompt: `${grandchild} go deeper`, title: "Deeper" }),
      tool("wait_for_sessions", { timeout_seconds: 20 }),
      text("done"),
    ]);
    const parent = await scriptMarker("team", [
      tool("spawn_session", { prompt: `${child} nest`, title: "Nest", name: "nest" }),
      tool("wait_for_sessions", { timeout_seconds: 20 }),
      text("done"),
    ]);
    const sessionId = await createSession(owner);
    await owner.api(`/api/sessions/${sessionId}/prompts`, {
      body: { clientId: "c1", text: parent },
    });
    const spawnedIn = async (id: string) => {
      const events = await turnsFinished(owner, id, 1);
      const spawned = events.find((e) => e.type === "team.child_spawned");
      return { events, childId: (spawned?.data as { sessionId: string } | undefined)?.sessionId };
    };
    const childId = (await spawnedIn(sessionId)).childId!;
    // Depth 2 is allowed (the child's child); depth 3 is not.
    const grandchildId = (await spawnedIn(childId)).childId!;
    const { events, childId: none } = await spawnedIn(grandchildId);
    expect(none).toBeUndefined();
    const refused = events.flatMap((e) =>
      e.type === "agent.tool_finished" && e.data.name === "spawn_session" ? [e.data] : [],
    );
    expect(refused[0]).toMatchObject({ status: "error" });
    expect(refused[0]!.output).toContain("nested 2 deep");
    expect((await teamOf(owner, grandchildId)).self.depth).toBe(2);
  });

  it("cancels a child: its turn stops and it is shut down for good", async () => {
    const owner = await signUp();
    const hanging = await scriptMarker("team", [
      { content: [{ type: "text", text: "never" }], faults: [{ kind: "hang", times: 1_000 }] },
    ]);
    const parent = await scriptMarker("team", [
      tool("spawn_session", { prompt: `${hanging} take forever`, title: "Slow", name: "slow" }),
      tool("wait_for_sessions", { sessions: ["slow"], timeout_seconds: 1 }),
      tool("cancel_session", { session: "slow" }),
      tool("send_message", { to: "slow", text: "are you there?" }),
      text("cancelled"),
    ]);
    const sessionId = await createSession(owner);
    await owner.api(`/api/sessions/${sessionId}/prompts`, {
      body: { clientId: "c1", text: parent },
    });
    const events = await turnsFinished(owner, sessionId, 1);
    expect(toolOutputs(events, "wait_for_sessions")[0]).toContain("Still working after 1 s");
    expect(toolOutputs(events, "cancel_session")[0]).toContain("shut down");
    expect(toolOutputs(events, "send_message")[0]).toContain("has shut down");
    const team = await teamOf(owner, sessionId);
    expect(team.children[0]).toMatchObject({
      name: "slow",
      state: "shut_down",
      lastTurn: "stopped",
    });
    const childEvents = await eventsOf(owner, team.children[0]!.sessionId);
    expect(childEvents.some((e) => e.type === "team.shut_down")).toBe(true);
  });
});

describe("knowledge, then action", () => {
  it("quotes a knowledge session's answer into the prompt of the session that acts", async () => {
    const owner = await signUp();
    await owner.api("/api/repositories", { body: { repo: "acme/runbooks", warmPoolSize: 0 } });
    const runbook = await scriptMarker("team", [
      {
        ...text("Runbook: drain the node with `kubectl drain`, then restart the service."),
        pacing: { firstTokenDelayMs: 1_000 },
      },
    ]);
    const act = await scriptMarker("team", [text("Drained and restarted.")]);
    const parent = await scriptMarker("team", [
      tool("spawn_session", {
        prompt: `${runbook} How do we restart the cache service safely?`,
        title: "Find the runbook",
        repo: "acme/runbooks",
        name: "runbook",
      }),
      tool("spawn_session", {
        prompt: "Restart the cache service.",
        title: "Too early",
        quote: ["runbook"],
      }),
      tool("wait_for_sessions", { sessions: ["runbook"], timeout_seconds: 20 }),
      tool("spawn_session", {
        prompt: `${act} Restart the cache service, following the runbook below.`,
        title: "Restart the cache",
        name: "act",
        quote: ["runbook"],
      }),
      text("Started the restart with the runbook."),
    ]);
    const sessionId = await createSession(owner);
    await owner.api(`/api/sessions/${sessionId}/prompts`, {
      body: { clientId: "c1", text: parent },
    });
    const events = await turnsFinished(owner, sessionId, 1);
    const spawns = events.flatMap((e) =>
      e.type === "agent.tool_finished" && e.data.name === "spawn_session" ? [e.data] : [],
    );
    // Quoting a session that has not answered yet is refused with what to do.
    expect(spawns[1]).toMatchObject({ status: "error" });
    expect(spawns[1]!.output).toContain("wait for it with wait_for_sessions first");
    expect(spawns[2]).toMatchObject({ status: "ok" });
    const actId = events
      .flatMap((e) => (e.type === "team.child_spawned" ? [e.data] : []))
      .find((d) => d.name === "act")!.sessionId;
    const queued = (await eventsOf(owner, actId)).find((e) => e.type === "prompt.queued");
    const prompt = queued?.type === "prompt.queued" ? queued.data.prompt.text : "";
    expect(prompt).toContain("Quoted from the session runbook");
    expect(prompt).toContain("> Runbook: drain the node with `kubectl drain`");
  });
});

describe("mailboxes", () => {
  it("delivers in order, wakes an idle child, drains on read and survives a restart", async () => {
    const owner = await signUp();
    const child = await scriptMarker("team", [
      text("Ready for work."),
      tool("read_inbox", {}),
      tool("read_inbox", {}),
      tool("read_inbox", {}),
      tool("send_message", { to: "parent", text: "Got first and second." }),
      text("Answered the parent."),
    ]);
    const parent = await scriptMarker("team", [
      tool("spawn_session", { prompt: `${child} wait for mail`, title: "Mail", name: "mail" }),
      tool("wait_for_sessions", { sessions: ["mail"], timeout_seconds: 20 }),
      {
        content: [
          { type: "tool_use", name: "send_message", input: { to: "mail", text: "first" } },
          { type: "tool_use", name: "send_message", input: { to: "mail", text: "second" } },
        ],
      },
      text("Sent two messages."),
      tool("read_inbox", {}),
      text("Read the reply."),
    ]);
    const sessionId = await createSession(owner);
    await owner.api(`/api/sessions/${sessionId}/prompts`, {
      body: { clientId: "c1", text: parent },
    });
    const events = await turnsFinished(owner, sessionId, 1);
    const childId = (
      events.find((e) => e.type === "team.child_spawned")!.data as {
        sessionId: string;
      }
    ).sessionId;

    // The child woke on the first mail and read both, in order, once.
    const childEvents = await turnsFinished(owner, childId, 2);
    // However the second mail raced the first read, each mail was read once, in order.
    const reads = toolOutputs(childEvents, "read_inbox").join("\n");
    expect(reads).toMatch(/first[\s\S]*second[\s\S]*No unread messages\.$/);
    expect(reads.match(/\nfirst/g)).toHaveLength(1);
    expect(reads.match(/\nsecond/g)).toHaveLength(1);
    const wake = childEvents.find(
      (e) => e.type === "prompt.queued" && e.data.prompt.clientId.startsWith("mail:"),
    );
    expect(wake).toBeDefined();

    // The reply woke the idle parent, whose inbox holds it; both inboxes are visible to people.
    await turnsFinished(owner, sessionId, 2);
    const team = await teamOf(owner, sessionId);
    expect(team.inbox.map((m) => [m.from.name, m.text, m.readAt !== null])).toEqual([
      ["mail", "Got first and second.", true],
    ]);
    const childInbox = team.inboxes.find((i) => i.name === "mail")!.mail!;
    expect(childInbox.map((m) => m.text)).toEqual(["first", "second"]);
    expect(childInbox.every((m) => m.readAt !== null)).toBe(true);

    // After the child's object is evicted, its mailbox is all still there.
    await evictDurableObject(env.SESSION.get(env.SESSION.idFromName(childId)));
    const again = await teamOf(owner, childId);
    expect(again.inbox.map((m) => [m.seq, m.text])).toEqual([
      [childInbox[0]!.seq, "first"],
      [childInbox[1]!.seq, "second"],
    ]);
  });
});
