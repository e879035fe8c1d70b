// The handoff log's lines for each state a step can be in.
import { describe, expect, it } from "vitest";
import { logEntry } from "./run-log.ts";
import type { RunStep } from "./run-state.ts";

const step = (patch: Partial<RunStep>): RunStep => ({
  role: "review",
  round: 2,
  status: "pending",
  startedAt: null,
  updatedAt: 0,
  handoff: null,
  reason: null,
  ...patch,
});

describe("logEntry", () => {
  it("has no line for a step still waiting", () => {
    expect(logEntry(step({}), 3, 10)).toBe(null);
  });

  it("logs a start with its round", () => {
    expect(logEntry(step({ status: "in_progress" }), 3, 10)).toEqual({
      kind: "start",
      role: "review",
      message: "`review` started, round 2 of 3.",
      at: 10,
    });
  });

  it("logs a handoff with its verdict and the first line of its summary", () => {
    const handoff = {
      role: "review",
      status: "done" as const,
      summary: "Two findings.\nDetails follow.",
      verdict: "changes_requested",
      fields: {},
    };
    expect(logEntry(step({ status: "completed", handoff }), 3, 10)?.message).toBe(
      "`review` handed over (verdict changes_requested): Two findings. …",
    );
    const long = { ...handoff, summary: "x".repeat(300), verdict: null };
    expect(logEntry(step({ status: "completed", handoff: long }), 3, 10)?.message).toBe(
      `\`review\` handed over: ${"x".repeat(199)}…`,
    );
  });

  it("logs a skip and a failure with their reasons", () => {
    expect(
      logEntry(step({ status: "skipped", reason: "its skip_when held" }), 3, 10),
    ).toMatchObject({
      kind: "skipped",
      message: "`review` was skipped: its skip_when held",
    });
    expect(logEntry(step({ status: "failed", reason: "The loop stopped." }), 3, 10)).toMatchObject({
      kind: "failed",
      message: "`review` failed: The loop stopped.",
    });
  });
});
