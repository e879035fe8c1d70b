import { describe, expect, it } from "vitest";
import type { NewEvent, QueuedPrompt, Usage } from "../../protocol/events.ts";
import type { StatsFact } from "../../protocol/stats.ts";
import { reportPrompt, TurnReport, type ReportingRoom } from "./stats-report.ts";

/** A room whose reports land in an array; `clock` moves time. */
function fakeRoom(options: { failing?: boolean } = {}) {
  const facts: StatsFact[] = [];
  const logged: string[] = [];
  const pending: Promise<unknown>[] = [];
  const clock = { now: 1_000 };
  const room: ReportingRoom = {
    deps: {
      stats: {
        report: async (fact) => {
          if (options.failing) throw new Error("D1 is down");
          facts.push(fact);
        },
      },
      background: (work) => void pending.push(work),
      log: (message) => void logged.push(message),
    },
    store: {
      meta: () => ({
        id: "ses_1",
        repo: "acme/widgets",
        title: "t",
        createdBy: "usr_1",
        createdAt: 0,
        model: null,
        spendLimitUsd: null,
      }),
    },
    now: () => clock.now,
  };
  return { room, facts, logged, clock, pending, settled: () => Promise.all(pending) };
}

const usage = (costUsd: number, outputTokens: number): Usage => ({
  inputTokens: 100,
  outputTokens,
  cacheReadTokens: 10,
  cacheWriteTokens: 5,
  costUsd,
});

function usageEvent(turn: Usage): NewEvent {
  return {
    type: "agent.usage",
    actor: null,
    data: { messageId: "msg_1", model: "m", step: 0, call: turn, turn, session: turn },
  };
}

describe("reportPrompt", () => {
  it("reports who prompted in which session and repository, and when", async () => {
    const { room, facts, settled } = fakeRoom();
    const prompt: QueuedPrompt = {
      messageId: "msg_1",
      clientId: "c",
      author: { userId: "usr_2", login: "bob", name: null, avatarUrl: null },
      text: "hi",
      state: "queued",
      createdAt: 500,
    };
    reportPrompt(room, prompt);
    await settled();
    expect(facts).toEqual([
      {
        type: "prompt.submitted",
        sessionId: "ses_1",
        messageId: "msg_1",
        repo: "acme/widgets",
        authorId: "usr_2",
        at: 500,
      },
    ]);
  });

  it("logs a failing index instead of throwing", async () => {
    const { room, logged, settled } = fakeRoom({ failing: true });
    reportPrompt(room, {
      messageId: "msg_1",
      clientId: "c",
      author: { userId: "usr_2", login: "bob", name: null, avatarUrl: null },
      text: "hi",
      state: "queued",
      createdAt: 500,
    });
    await settled();
    expect(logged).toEqual(["stats.report.failed"]);
  });
});

describe("TurnReport", () => {
  it("reports the first output once, timed from the turn's start", async () => {
    const { room, facts, clock, settled } = fakeRoom();
    const report = new TurnReport(room, "msg_1", false);
    clock.now += 420;
    report.output();
    clock.now += 50;
    report.output();
    await settled();
    expect(facts).toEqual([
      {
        type: "turn.first_response",
        sessionId: "ses_1",
        messageId: "msg_1",
        latencyMs: 420,
        at: 1_420,
      },
    ]);
  });

  it("counts a model call that streamed no text as the first output", async () => {
    const { room, facts, clock, settled } = fakeRoom();
    const report = new TurnReport(room, "msg_1", false);
    clock.now += 900;
    report.event(usageEvent(usage(0.01, 20)));
    await settled();
    expect(facts.map((fact) => fact.type)).toEqual(["turn.first_response", "turn.usage"]);
    expect(facts[0]).toMatchObject({ latencyMs: 900 });
  });

  it("reports the turn's usage so far after every model call", async () => {
    const { room, facts, settled } = fakeRoom();
    const report = new TurnReport(room, "msg_1", false);
    report.output();
    report.event(usageEvent(usage(0.01, 20)));
    report.event({
      type: "agent.text",
      actor: null,
      data: { messageId: "msg_1", step: 0, index: 0, text: "x" },
    });
    report.event(usageEvent(usage(0.03, 70)));
    await settled();
    expect(facts.filter((fact) => fact.type === "turn.usage")).toEqual([
      {
        type: "turn.usage",
        sessionId: "ses_1",
        messageId: "msg_1",
        inputTokens: 100,
        outputTokens: 20,
        cacheReadTokens: 10,
        cacheWriteTokens: 5,
        costUsd: 0.01,
        at: 1_000,
      },
      expect.objectContaining({ outputTokens: 70, costUsd: 0.03 }),
    ]);
  });

  it("reports no first response for a resumed turn, but still its usage", async () => {
    const { room, facts, settled } = fakeRoom();
    const report = new TurnReport(room, "msg_1", true);
    report.output();
    report.event(usageEvent(usage(0.01, 20)));
    await settled();
    expect(facts.map((fact) => fact.type)).toEqual(["turn.usage"]);
  });

  it("reports nothing when the room has no stats index", () => {
    const { room, pending } = fakeRoom();
    const quiet: ReportingRoom = { ...room, deps: { ...room.deps, stats: undefined } };
    new TurnReport(quiet, "msg_1", false).output();
    expect(pending).toEqual([]);
  });
});
