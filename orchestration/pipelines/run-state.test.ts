// A run as a state machine: the review loop, the round limit, skipping, failing and resuming.
import { describe, expect, it } from "vitest";
import type { PipelineDefinition } from "./definition.ts";
import { handoffFrom } from "./handoff.ts";
import type { HandoffInput } from "./handoff.ts";
import { parsePipelineValue } from "./parse.ts";
import {
  beginStep,
  completeStep,
  failStep,
  inputOf,
  resumePoint,
  skipReason,
  skipStep,
  startRun,
  subjectAfter,
} from "./run-state.ts";
import type { RunState } from "./run-state.ts";

function pipeline(value: unknown): PipelineDefinition {
  const parsed = parsePipelineValue(value);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
  return parsed.value;
}

const reviewLoop = (maxRounds = 3) =>
  pipeline({
    name: "review-loop",
    max_rounds: maxRounds,
    roles: [
      { name: "implement", instructions: "Implement.", output: [{ changes: true }] },
      {
        name: "review",
        instructions: "Review.",
        next: [
          { when: [{ verdict: ["approved"] }], goto: "end" },
          { when: [{ verdict: ["changes_requested"] }], goto: "fix" },
        ],
      },
      {
        name: "fix",
        instructions: "Fix.",
        skip_when: [{ verdict: ["approved"] }],
        next: [{ goto: "review" }],
      },
    ],
  });

/** Begins the current step and completes it with this handoff, at time `now`. */
function runRole(def: PipelineDefinition, state: RunState, input: HandoffInput, now: number) {
  const role = resumePoint(state);
  if (role === null) throw new Error("the run is over");
  return completeStep(def, beginStep(state, now), handoffFrom(role, input), now + 1);
}

const changesRequested = {
  summary: "Two findings.",
  verdict: "changes_requested",
  fields: { findings: "a; b" },
};

describe("startRun and beginStep", () => {
  it("waits for the first role, then runs it", () => {
    const state = startRun(reviewLoop(), 100);
    expect(state).toEqual({
      status: "pending",
      currentRole: "implement",
      steps: [
        {
          role: "implement",
          round: 1,
          status: "pending",
          startedAt: null,
          updatedAt: 100,
          handoff: null,
          reason: null,
        },
      ],
      startedAt: 100,
      updatedAt: 100,
      reason: null,
    });
    const begun = beginStep(state, 110);
    expect([begun.status, begun.steps[0]?.status, begun.steps[0]?.startedAt]).toEqual([
      "in_progress",
      "in_progress",
      110,
    ]);
  });
});

describe("completeStep", () => {
  it("runs implement, review, fix, review and ends when the review approves", () => {
    const def = reviewLoop();
    let state = startRun(def, 0);
    const outcomes: unknown[] = [];
    for (const [index, input] of [
      { summary: "Implemented." },
      changesRequested,
      { summary: "Fixed both." },
      { summary: "Looks right.", verdict: "approved" },
    ].entries()) {
      const result = runRole(def, state, input, index * 10);
      outcomes.push(result.next);
      state = result.state;
    }
    expect(outcomes).toEqual([
      { role: "review" },
      { role: "fix" },
      { role: "review" },
      { end: true },
    ]);
    expect(state.steps.map((step) => [step.role, step.round, step.status])).toEqual([
      ["implement", 1, "completed"],
      ["review", 1, "completed"],
      ["fix", 1, "completed"],
      ["review", 2, "completed"],
    ]);
    expect([state.status, state.currentRole, resumePoint(state)]).toEqual([
      "completed",
      null,
      null,
    ]);
  });

  it("hands the next role the fields so far, the last verdict and the last handoff", () => {
    const def = reviewLoop();
    let state = runRole(def, startRun(def, 0), { summary: "Implemented." }, 0).state;
    state = runRole(def, state, changesRequested, 10).state;
    expect(inputOf(state)).toEqual({
      fields: { summary: "Two findings.", verdict: "changes_requested", findings: "a; b" },
      verdict: "changes_requested",
      handoff: { role: "review", status: "done", ...changesRequested },
    });
    const fixed = handoffFrom("fix", { summary: "Fixed.", fields: { tests: "added" } });
    expect(subjectAfter(state, fixed)).toEqual({
      fields: { summary: "Fixed.", verdict: "changes_requested", findings: "a; b", tests: "added" },
      verdict: null,
    });
  });

  it("goes on to the following role when no next entry holds, and ends after the last", () => {
    const def = pipeline({
      name: "line",
      roles: [
        { name: "a", instructions: "A.", next: [{ when: [{ has: "never" }], goto: "end" }] },
        { name: "b", instructions: "B." },
      ],
    });
    const first = runRole(def, startRun(def, 0), { summary: "A done." }, 0);
    expect(first.next).toEqual({ role: "b" });
    expect(runRole(def, first.state, { summary: "B done." }, 10).next).toEqual({ end: true });
  });

  it("fails the run when a role would run more than max_rounds times", () => {
    const def = reviewLoop(2);
    let state = startRun(def, 0);
    let next: unknown;
    for (const input of [
      { summary: "Implemented." },
      changesRequested,
      { summary: "Fixed." },
      changesRequested,
    ])
      ({ state, next } = runRole(def, state, input, 0));
    expect(next).toEqual({ role: "fix" });
    ({ state, next } = runRole(def, state, { summary: "Fixed again." }, 50));
    const reason = "The loop reached its limit of 2 rounds of `review` without finishing.";
    expect(next).toEqual({ failed: reason });
    expect([state.status, state.currentRole, state.reason, resumePoint(state)]).toEqual([
      "failed",
      null,
      reason,
      null,
    ]);
    expect(state.steps.at(-1)).toMatchObject({ role: "fix", round: 2, status: "completed" });
  });

  it("refuses a handoff of another role and a run that is over", () => {
    const def = reviewLoop();
    const state = beginStep(startRun(def, 0), 0);
    expect(() => completeStep(def, state, handoffFrom("review", { summary: "x" }), 1)).toThrow(
      "a handoff of review cannot complete the step of implement",
    );
    const failed = failStep(state, "stopped", 2);
    expect(() => beginStep(failed, 3)).toThrow(
      "the run is failed and has no step waiting or running",
    );
  });
});

describe("skipStep", () => {
  it("skips a role whose skip_when holds and follows its next as if it handed over nothing", () => {
    const def = pipeline({
      name: "skips",
      roles: [
        { name: "plan", instructions: "Plan." },
        { name: "design", instructions: "Design.", skip_when: [{ has: "plan" }] },
        { name: "build", instructions: "Build." },
      ],
    });
    const { state } = runRole(
      def,
      startRun(def, 0),
      { summary: "Planned.", fields: { plan: "1. x" } },
      0,
    );
    const design = def.roles[1];
    if (design === undefined) throw new Error("no design role");
    const reason = skipReason(design, inputOf(state));
    expect(reason).toBe("its skip_when held: the field `plan` is handed over and not empty");
    const skipped = skipStep(def, state, reason ?? "", 20);
    expect(skipped.next).toEqual({ role: "build" });
    expect(skipped.state.steps[1]).toMatchObject({
      role: "design",
      status: "skipped",
      reason,
      handoff: { role: "design", status: "skipped", summary: reason, verdict: null, fields: {} },
    });
    expect(inputOf(skipped.state).handoff?.role).toBe("plan");
  });

  it("does not skip a role without skip_when", () => {
    const [implement] = reviewLoop().roles;
    expect(implement && skipReason(implement, { fields: {}, verdict: null })).toBe(null);
  });
});

describe("failStep", () => {
  it("fails the step and the run, keeping what the role handed over", () => {
    const def = reviewLoop();
    const state = beginStep(startRun(def, 0), 0);
    const handoff = handoffFrom("implement", { summary: "Tried." });
    const failed = failStep(state, "The output contract of `implement` was not met.", 5, handoff);
    expect(failed).toMatchObject({
      status: "failed",
      currentRole: null,
      reason: "The output contract of `implement` was not met.",
      updatedAt: 5,
    });
    expect(failed.steps[0]).toMatchObject({
      status: "failed",
      handoff: { ...handoff, status: "failed" },
    });
  });
});

describe("resumePoint", () => {
  it("resumes an interrupted run at the role that did not finish, in the same round", () => {
    const def = reviewLoop();
    let state = runRole(def, startRun(def, 0), { summary: "Implemented." }, 0).state;
    state = runRole(def, state, changesRequested, 10).state;
    state = runRole(def, state, { summary: "Fixed." }, 20).state;
    const interrupted: RunState = JSON.parse(JSON.stringify(beginStep(state, 30)));
    expect(resumePoint(interrupted)).toBe("review");
    const restarted = beginStep(interrupted, 40);
    expect(restarted.steps.at(-1)).toMatchObject({
      role: "review",
      round: 2,
      status: "in_progress",
      startedAt: 40,
    });
    const done = completeStep(
      def,
      restarted,
      handoffFrom("review", { summary: "Good.", verdict: "approved" }),
      50,
    );
    expect(done.next).toEqual({ end: true });
  });

  it("points at the waiting role before it began", () => {
    expect(resumePoint(startRun(reviewLoop(), 0))).toBe("implement");
  });
});
