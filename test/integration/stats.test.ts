// Stats: sessions report prompts, first responses and usage to D1 as they happen, and `/api/stats`
// aggregates them over the sessions the asking person takes part in.
import { env } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import type { SessionEvent } from "../../protocol/events.ts";
import type { ActiveNowResponse, StatsFact, StatsResponse } from "../../protocol/stats.ts";
import { openDatabase } from "../../worker/db/database.ts";
import { recordFact } from "../../worker/stats/facts.ts";
import { statsFirstResponses } from "../../worker/stats/stats.sql.ts";
import { utcDay } from "../../worker/stats/summary.ts";
import { createSession, holdingTurn, request, share, signUp, type TestPerson } from "./helpers.ts";
import type { ScriptInput } from "../model-stand-in/script.ts";
import { putModelScript } from "../support/model-script.ts";

async function statsOf(person: TestPerson, query = ""): Promise<StatsResponse> {
  const response = await person.api(`/api/stats${query}`);
  expect(response.status).toBe(200);
  return (await response.json()) as StatsResponse;
}

async function script(name: string, responses: ScriptInput["responses"]): Promise<string> {
  const response = await putModelScript(env.ANTHROPIC_BASE_URL, name, { responses });
  expect(response.status).toBe(200);
  return `[script:${name}]`;
}

/** Waits until `count` prompts of the session have finished. */
async function finished(person: TestPerson, sessionId: string, count: number): Promise<void> {
  await expect
    .poll(
      async () => {
        const { events } = (await (
          await person.api(`/api/sessions/${sessionId}/events?limit=1000`)
        ).json()) as { events: SessionEvent[] };
        return events.filter((e) => e.type === "prompt.finished").length;
      },
      { timeout: 20_000 },
    )
    .toBe(count);
}

/** A usage figure summed over the window (tests run near midnight UTC too). */
function total(stats: StatsResponse, key: "prompts" | "costUsd" | "inputTokens" | "outputTokens") {
  return stats.usage.reduce((sum, day) => sum + day[key], 0);
}

describe("/api/stats", () => {
  it("counts prompts, usage and the time to the first model output of my sessions", async () => {
    const alice = await signUp();
    const marker = await script(`stats-usage-${crypto.randomUUID()}`, [
      {
        content: [{ type: "text", text: "Looking into it." }],
        usage: { input_tokens: 1_000, output_tokens: 40, cache_read_input_tokens: 200 },
        pacing: { firstTokenDelayMs: 300 },
      },
    ]);
    const first = await createSession(alice, {
      prompt: { clientId: "p1", text: `Speed up the build ${marker}` },
    });
    const second = await createSession(alice, { prompt: { clientId: "p2", text: "Say hello" } });
    await finished(alice, first, 1);
    await finished(alice, second, 1);

    // Reports are written in the background; they land shortly after the turn.
    await expect
      .poll(async () => (await statsOf(alice)).firstResponse.samples, { timeout: 10_000 })
      .toBe(2);
    const stats = await statsOf(alice);
    expect(stats.window.days).toBe(30);
    expect(stats.usage).toHaveLength(30);
    expect(stats.usage.at(-1)!.day).toBe(utcDay(stats.window.until));
    expect(stats.headline).toEqual({ sessions: 2, withMergedPr: 0, rate: 0 });
    expect(total(stats, "prompts")).toBe(2);
    // Input counts cached reads too: 1,000 + 200 from the script, plus the other turn's.
    expect(total(stats, "inputTokens")).toBeGreaterThanOrEqual(1_200);
    expect(total(stats, "outputTokens")).toBeGreaterThanOrEqual(41);
    expect(total(stats, "costUsd")).toBeGreaterThan(0);
    // The scripted answer waited 300 ms before its first token; the other came at once.
    expect(stats.firstResponse.p50Ms).toBeGreaterThan(0);
    expect(stats.activeNow).toEqual([
      {
        person: {
          userId: alice.user.id,
          login: alice.user.login,
          name: alice.user.name,
          avatarUrl: null,
        },
        lastPromptAt: expect.any(Number),
      },
    ]);
    expect(stats.pullRequests).toEqual({
      opened: 0,
      approved: 0,
      changesRequested: 0,
      revised: 0,
      merged: 0,
      closed: 0,
    });
  });

  it("times the first response from the turn starting, not from a wait in the queue", async () => {
    const alice = await signUp();
    const firstDelayMs = 1_500;
    const marker = await script(`stats-latency-${crypto.randomUUID()}`, [
      { content: [{ type: "text", text: "Slow." }], pacing: { firstTokenDelayMs: firstDelayMs } },
      { content: [{ type: "text", text: "Quicker." }], pacing: { firstTokenDelayMs: 400 } },
    ]);
    const id = await createSession(alice, { prompt: { clientId: "a", text: `Go ${marker}` } });
    // The second prompt waits in the queue while the first turn waits for its first token.
    const queued = await alice.api(`/api/sessions/${id}/prompts`, {
      body: { clientId: "b", text: "Then this" },
    });
    const { messageId } = (await queued.json()) as { messageId: string };
    await finished(alice, id, 2);

    await expect
      .poll(async () => (await statsOf(alice)).firstResponse.samples, { timeout: 10_000 })
      .toBe(2);
    const rows = await openDatabase(env.DB)
      .select()
      .from(statsFirstResponses)
      .where(eq(statsFirstResponses.sessionId, id))
      .all();
    const first = rows.find((row) => row.messageId !== messageId)!;
    const second = rows.find((row) => row.messageId === messageId)!;
    expect(first.latencyMs).toBeGreaterThanOrEqual(firstDelayMs);
    expect(second.latencyMs).toBeGreaterThanOrEqual(400);
    expect(second.latencyMs).toBeLessThan(firstDelayMs);
  });

  it("shows nothing of other people's sessions, and everything of sessions shared with me", async () => {
    const alice = await signUp();
    const bob = await signUp();
    const mallory = await signUp();
    const id = await createSession(alice, { prompt: { clientId: "a", text: "Hello there" } });
    await finished(alice, id, 1);
    await share(alice, id, bob, "collaborator");
    expect(
      (await bob.api(`/api/sessions/${id}/prompts`, { body: { clientId: "b", text: "And now?" } }))
        .status,
    ).toBe(201);
    await finished(alice, id, 2);

    await expect
      .poll(async () => (await statsOf(bob)).firstResponse.samples, { timeout: 10_000 })
      .toBe(2);
    const bobs = await statsOf(bob);
    // Bob takes part in the session; it counts for him though he did not create it.
    expect(bobs.headline.sessions).toBe(1);
    expect(total(bobs, "prompts")).toBe(2);
    expect(bobs.activeNow.map((a) => a.person.userId)).toEqual([bob.user.id, alice.user.id]);

    const mallorys = await statsOf(mallory);
    expect(mallorys.headline).toEqual({ sessions: 0, withMergedPr: 0, rate: null });
    expect(mallorys.usage.every((d) => d.prompts === 0 && d.costUsd === 0)).toBe(true);
    expect(mallorys.activeNow).toEqual([]);
    expect(mallorys.firstResponse).toEqual({ p50Ms: null, samples: 0 });
    expect(
      ((await (await mallory.api("/api/stats/active-now")).json()) as ActiveNowResponse).activeNow,
    ).toEqual([]);
  });

  it("lists people prompting in the last five minutes, latest first, while turns still run", async () => {
    const alice = await signUp();
    const bob = await signUp();
    const hold = await holdingTurn();
    const id = await createSession(alice, { prompt: { clientId: "a", text: `Hold ${hold}` } });
    await share(alice, id, bob, "collaborator");
    await bob.api(`/api/sessions/${id}/prompts`, { body: { clientId: "b", text: "Queued" } });

    await expect
      .poll(
        async () => {
          const response = await alice.api("/api/stats/active-now");
          const body = (await response.json()) as ActiveNowResponse;
          return body.activeNow.map((a) => a.person.login);
        },
        { timeout: 10_000 },
      )
      .toEqual([bob.user.login, alice.user.login]);
    await alice.api(`/api/sessions/${id}/stop`, { method: "POST" });
  });

  it("aggregates pull request facts: merged sessions, approvals and revisions", async () => {
    const alice = await signUp();
    const merged = await createSession(alice);
    const open = await createSession(alice);
    const db = openDatabase(env.DB);
    const now = Date.now();
    const pr = (sessionId: string, number: number, event: string, at: number): StatsFact =>
      ({ type: "pull_request", sessionId, repo: "acme/widgets", number, event, at }) as StatsFact;
    for (const fact of [
      pr(merged, 7, "opened", now - 5_000),
      pr(merged, 7, "changes_requested", now - 4_000),
      pr(merged, 7, "revised", now - 3_000),
      pr(merged, 7, "approved", now - 2_000),
      pr(merged, 7, "merged", now - 1_000),
      // A redelivered webhook reports the same change again.
      pr(merged, 7, "merged", now - 1_000),
      pr(open, 8, "opened", now - 1_000),
      pr(open, 8, "approved", now - 500),
    ]) {
      await recordFact(db, fact);
    }

    const stats = await statsOf(alice);
    expect(stats.headline).toEqual({ sessions: 2, withMergedPr: 1, rate: 0.5 });
    expect(stats.pullRequests).toEqual({
      opened: 2,
      approved: 2,
      changesRequested: 1,
      revised: 1,
      merged: 1,
      closed: 0,
    });
    // Someone outside the sessions sees none of it.
    const bob = await signUp();
    expect((await statsOf(bob)).pullRequests.merged).toBe(0);
  });

  it("counts only what happened in the window", async () => {
    const alice = await signUp();
    const id = await createSession(alice);
    const db = openDatabase(env.DB);
    const longAgo = Date.now() - 10 * 24 * 60 * 60 * 1000;
    await recordFact(db, {
      type: "prompt.submitted",
      sessionId: id,
      messageId: `msg_old_${crypto.randomUUID()}`,
      repo: "acme/widgets",
      authorId: alice.user.id,
      at: longAgo,
    });
    await recordFact(db, {
      type: "turn.first_response",
      sessionId: id,
      messageId: `msg_old_${crypto.randomUUID()}`,
      latencyMs: 1234,
      at: longAgo,
    });
    await recordFact(db, {
      type: "pull_request",
      sessionId: id,
      repo: "acme/widgets",
      number: 1,
      event: "approved",
      at: longAgo,
    });

    const week = await statsOf(alice, "?days=7");
    expect(week.usage).toHaveLength(7);
    expect(week.usage.every((d) => d.prompts === 0)).toBe(true);
    expect(week.firstResponse.samples).toBe(0);
    expect(week.pullRequests.approved).toBe(0);

    const month = await statsOf(alice, "?days=30");
    expect(month.usage.find((d) => d.day === utcDay(longAgo))?.prompts).toBe(1);
    expect(month.firstResponse).toEqual({ p50Ms: 1234, samples: 1 });
    expect(month.pullRequests.approved).toBe(1);
  });

  it("keeps a turn's latest usage rather than adding up its reports", async () => {
    const alice = await signUp();
    const id = await createSession(alice);
    const db = openDatabase(env.DB);
    const messageId = `msg_turn_${crypto.randomUUID()}`;
    const usage = (outputTokens: number, costUsd: number, at: number): StatsFact => ({
      type: "turn.usage",
      sessionId: id,
      messageId,
      inputTokens: 100,
      outputTokens,
      cacheReadTokens: 0,
      cacheWriteTokens: 0,
      costUsd,
      at,
    });
    const now = Date.now();
    await recordFact(db, usage(10, 0.01, now - 2_000));
    await recordFact(db, usage(50, 0.05, now - 1_000));
    // A report that arrives late must not undo a newer one.
    await recordFact(db, usage(10, 0.01, now - 2_000));

    const stats = await statsOf(alice);
    expect(total(stats, "inputTokens")).toBe(100);
    expect(total(stats, "outputTokens")).toBe(50);
    expect(total(stats, "costUsd")).toBe(0.05);
  });

  it("refuses a window it does not serve, and strangers", async () => {
    const alice = await signUp();
    for (const days of ["0", "366", "1.5", "many"]) {
      const response = await alice.api(`/api/stats?days=${days}`);
      expect(response.status).toBe(400);
      expect(((await response.json()) as { error: { code: string } }).error.code).toBe(
        "invalid_input",
      );
    }
    expect((await request("/api/stats")).status).toBe(401);
    expect((await request("/api/stats/active-now")).status).toBe(401);
  });
});
