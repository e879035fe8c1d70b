// Fan-out in real sessions: one question to two spaces of the routing guide, one of which hangs;
// the hanging space is skipped with a message, and the answer is one synthesized comparison. A
// fan-out a person started survives its session's restart.
import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { SessionView } from "../../protocol/api.ts";
import type { SessionEvent } from "../../protocol/events.ts";
import type { TeamView } from "../../protocol/team.ts";
import { personOf } from "../../worker/users/users.ts";
import { eventsOf, scriptNamed, text } from "./scripted.ts";
import { createSession, signUp, type TestPerson } from "./helpers.ts";

const stubOf = (sessionId: string) => env.SESSION.get(env.SESSION.idFromName(sessionId));

/**
 * Resets the session's object the way a crash or a deploy does: its in-memory work is lost.
 * (`evictDurableObject` from `cloudflare:test` is graceful: it waits for background work to end,
 * so it cannot cut a fan-out off midway.)
 */
async function restart(sessionId: string) {
  await runInDurableObject(stubOf(sessionId), (_instance, state) => {
    state.abort("restarted by the test");
  }).catch(() => undefined);
}

/** The session's deadlines on its alarm, by kind. */
function deadlinesOf(sessionId: string): Promise<string[]> {
  return runInDurableObject(stubOf(sessionId), (_instance, state) =>
    state.storage.sql
      .exec<{ kind: string }>("SELECT kind FROM deadlines")
      .toArray()
      .map((row) => row.kind),
  );
}

/** The stand-in's requests for one script. */
async function requestsFor(script: string) {
  const response = await fetch(`${env.ANTHROPIC_BASE_URL}/_stand-in/requests?script=${script}`);
  return ((await response.json()) as { requests: { body: { messages: { content: string }[] } }[] })
    .requests;
}

/** Each child session's role and state, oldest first. */
async function childStates(person: TestPerson, sessionId: string) {
  const response = await person.api(`/api/sessions/${sessionId}/team`);
  const { team } = (await response.json()) as { team: TeamView };
  return team.children.map((c) => [c.role, c.state]);
}

/** Waits until the session's timeline holds an event of `type` at least `count` times. */
async function eventsUntil(person: TestPerson, sessionId: string, type: string, count = 1) {
  let events: SessionEvent[] = [];
  await expect
    .poll(
      async () => {
        events = await eventsOf(person, sessionId);
        return events.filter((e) => e.type === type).length;
      },
      { timeout: 25_000, interval: 100 },
    )
    .toBeGreaterThanOrEqual(count);
  return events;
}

/** An organisation whose shop repository has a staging and a production space. */
async function shopWithEnvironments(person: TestPerson, purposes: [string, string]) {
  const org = `acme-${crypto.randomUUID().slice(0, 8)}`;
  const repo = `${org}/shop`;
  expect((await person.api("/api/repositories", { body: { repo, warmPoolSize: 0 } })).status).toBe(
    201,
  );
  const put = await person.api(`/api/orgs/${org}/routing`, {
    method: "PUT",
    body: {
      spaces: [
        {
          name: "staging",
          kind: "environment",
          repo,
          environment: "staging",
          purpose: purposes[0],
          coverage: ["deploys", "runtime"],
        },
        {
          name: "production",
          kind: "environment",
          repo,
          environment: "production",
          purpose: purposes[1],
          coverage: ["deploys", "runtime"],
        },
      ],
    },
  });
  expect(put.status, await put.clone().text()).toBe(200);
  return { org, repo };
}

describe("fan-out", () => {
  it("compares staging and production, skipping a space that hangs, in one synthesis", async () => {
    const owner = await signUp();
    const staging = await scriptNamed("fan", [
      { content: [{ type: "text", text: "never" }], faults: [{ kind: "hang", times: 1_000 }] },
    ]);
    const production = await scriptNamed("fan", [
      text("Production runs Node 20.11 with the cache on."),
    ]);
    const synthesis = await scriptNamed("fan", [
      text(
        "Only production answered. Same: nothing to compare against. Different: production runs Node 20.11; staging did not answer.",
      ),
    ]);
    const { repo } = await shopWithEnvironments(owner, [
      `[script:${staging}] Pre-release deploys of the shop.`,
      `[script:${production}] The live shop.`,
    ]);
    const parent = await scriptNamed("fan", [
      {
        content: [
          {
            type: "tool_use",
            name: "fan_out",
            input: {
              question: `[script:${synthesis}] Which Node version runs, and is the cache on?`,
              spaces: ["staging", "production"],
              timeout_seconds: 5,
            },
          },
        ],
      },
      text("Compared."),
    ]);
    const sessionId = await createSession(owner, { repo });
    await owner.api(`/api/sessions/${sessionId}/prompts`, {
      body: { clientId: "c1", text: `[script:${parent}] compare staging and production` },
    });
    await expect
      .poll(
        async () => (await eventsOf(owner, sessionId)).some((e) => e.type === "prompt.finished"),
        { timeout: 25_000, interval: 200 },
      )
      .toBe(true);
    const events = await eventsOf(owner, sessionId);
    const finished = events.find((e) => e.type === "team.fan_out_finished");
    expect(finished?.data).toMatchObject({
      answered: [{ space: "production" }],
      skipped: [{ space: "staging", reason: "did not answer within 5 s and was skipped" }],
      synthesis: expect.stringContaining("Only production answered"),
    });
    const tool = events.find((e) => e.type === "agent.tool_finished" && e.data.name === "fan_out");
    expect(tool?.type === "agent.tool_finished" && tool.data.output).toContain(
      "Skipped: staging did not answer within 5 s",
    );
    // The comparison was written from the question and the answers, not pasted from them.
    const message = (await requestsFor(synthesis)).at(-1)!.body.messages[0]!.content;
    expect(message).toContain("## Answer from production\nProduction runs Node 20.11");
    expect(message).toContain("- staging: did not answer within 5 s");
    // Each space got a session of its own; the one that hung was shut down.
    expect(await childStates(owner, sessionId)).toEqual([
      ["staging", "shut_down"],
      ["production", "idle"],
    ]);
  });

  it("resumes a person's fan-out after its session restarts, and writes one synthesis", async () => {
    const owner = await signUp();
    // Each space is held for a few seconds before it answers, so the restart falls mid-fan-out.
    const staging = await scriptNamed("fan-resume", [
      { ...text("Staging runs Node 22."), pacing: { firstTokenDelayMs: 4_000 } },
    ]);
    const production = await scriptNamed("fan-resume", [
      { ...text("Production runs Node 20."), pacing: { firstTokenDelayMs: 4_000 } },
    ]);
    const { org } = await shopWithEnvironments(owner, [
      `[script:${staging}] Pre-release deploys of the shop.`,
      `[script:${production}] The live shop.`,
    ]);
    // One script answers both the routing and the comparison (both read the request first).
    const routeAndCompare = await scriptNamed("fan-resume", [
      text(
        'Staging runs Node 22 and production Node 20. {"route":"fan_out","spaces":["staging","production"],"skipped":[],"reason":"Compares two environments."}',
      ),
    ]);
    const response = await owner.api("/api/requests", {
      body: {
        clientId: crypto.randomUUID(),
        org,
        fanOut: true,
        text: `[script:${routeAndCompare}] Which Node version runs in staging and production?`,
      },
    });
    expect(response.status, await response.clone().text()).toBe(201);
    const { session } = (await response.json()) as { session: SessionView };
    const before = await eventsUntil(owner, session.id, "team.child_spawned", 2);
    expect(before.some((e) => e.type === "team.fan_out_finished")).toBe(false);
    await restart(session.id);

    const events = await eventsUntil(owner, session.id, "team.fan_out_finished");
    const finished = events.filter((e) => e.type === "team.fan_out_finished");
    expect(finished).toHaveLength(1);
    expect(finished[0]!.data).toMatchObject({
      answered: [{ space: "staging" }, { space: "production" }],
      skipped: [],
      synthesis: expect.stringMatching(/Staging runs Node 22 and production Node 20/),
    });
    // No space was asked twice, and the comparison was written once.
    expect(events.filter((e) => e.type === "team.child_spawned")).toHaveLength(2);
    const calls = await requestsFor(routeAndCompare);
    expect(calls).toHaveLength(2);
    expect(calls[1]!.body.messages[0]!.content).toContain("## Answer from staging\nStaging runs");
    expect(calls[1]!.body.messages[0]!.content).toContain("## Answer from production\nProduction");
    // A finished fan-out does not come back with the next restart.
    await restart(session.id);
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    const after = await eventsOf(owner, session.id);
    expect(after.filter((e) => e.type === "team.fan_out_finished")).toHaveLength(1);
    expect(await requestsFor(routeAndCompare)).toHaveLength(2);
  });

  it("skips a space that never answers at the original deadline after a restart", async () => {
    const owner = await signUp();
    const staging = await scriptNamed("fan-resume", [
      { content: [{ type: "text", text: "never" }], faults: [{ kind: "hang", times: 1_000 }] },
    ]);
    const production = await scriptNamed("fan-resume", [
      { ...text("Production runs Node 20."), pacing: { firstTokenDelayMs: 2_000 } },
    ]);
    const synthesis = await scriptNamed("fan-resume", [
      text("Only production answered: it runs Node 20; staging did not answer."),
    ]);
    const { repo } = await shopWithEnvironments(owner, [
      `[script:${staging}] Pre-release deploys of the shop.`,
      `[script:${production}] The live shop.`,
    ]);
    const sessionId = await createSession(owner, { repo });
    const started = await stubOf(sessionId).fanOutFor(
      personOf(owner.user),
      `[script:${synthesis}] Which Node version runs?`,
      ["staging", "production"],
      8_000,
    );
    expect(started.ok).toBe(true);
    const before = await eventsUntil(owner, sessionId, "team.child_spawned", 2);
    const startedAt = before.find((e) => e.type === "team.fan_out_started")!.at;
    // The alarm watches the fan-out, so it resumes even if nothing else wakes the object.
    expect(await deadlinesOf(sessionId)).toContain("team.fan_out");
    await restart(sessionId);

    const events = await eventsUntil(owner, sessionId, "team.fan_out_finished");
    const finished = events.filter((e) => e.type === "team.fan_out_finished");
    expect(finished).toHaveLength(1);
    expect(finished[0]!.data).toMatchObject({
      answered: [{ space: "production" }],
      skipped: [{ space: "staging", reason: "did not answer within 8 s and was skipped" }],
      synthesis: expect.stringContaining("Only production answered"),
    });
    // Skipped at the deadline set before the restart, not a fresh timeout after it.
    expect(finished[0]!.at - startedAt).toBeGreaterThanOrEqual(8_000);
    expect(finished[0]!.at - startedAt).toBeLessThan(14_000);
    expect(events.filter((e) => e.type === "team.child_spawned")).toHaveLength(2);
    expect(await deadlinesOf(sessionId)).not.toContain("team.fan_out");
    expect(await childStates(owner, sessionId)).toEqual([
      ["staging", "shut_down"],
      ["production", "idle"],
    ]);
  });
});
