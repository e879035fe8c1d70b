import { describe, expect, it } from "vitest";
import type { PipelineRunView } from "../../../protocol/pipelines.ts";
import { roleChipsOf } from "./role-chips-of.ts";

type Step = PipelineRunView["steps"][number];

const step = (role: string, round: number, status: Step["status"]): Step => ({
  role,
  round,
  status,
  startedAt: 1,
  updatedAt: 2,
  handoff: null,
  reason: null,
});

describe("roleChipsOf", () => {
  it("shows every role in definition order, pending until it starts", () => {
    expect(roleChipsOf(["plan", "build", "review"], [step("plan", 1, "completed")])).toEqual([
      { role: "plan", round: null, status: "completed" },
      { role: "build", round: null, status: "pending" },
      { role: "review", round: null, status: "pending" },
    ]);
  });

  it("numbers the rounds of a role that ran more than once, in round order", () => {
    const steps = [
      step("build", 2, "in_progress"),
      step("build", 1, "completed"),
      step("review", 1, "failed"),
    ];
    expect(roleChipsOf(["build", "review"], steps)).toEqual([
      { role: "build", round: 1, status: "completed" },
      { role: "build", round: 2, status: "in_progress" },
      { role: "review", round: null, status: "failed" },
    ]);
  });

  it("keeps steps of roles the definition no longer lists, after the listed ones", () => {
    expect(roleChipsOf(["plan"], [step("audit", 1, "skipped")])).toEqual([
      { role: "plan", round: null, status: "pending" },
      { role: "audit", round: null, status: "skipped" },
    ]);
  });
});
