import { describe, expect, it } from "vitest";
import { orphansOf, stillToAsk, waitLeftMs, type FanOutPlan } from "./fan-out-plan.ts";

const target = (name: string) => ({ name, repo: "acme/shop", title: name, prompt: `ask ${name}` });

const plan = (asked: FanOutPlan["asked"]): FanOutPlan => ({
  id: "fan_1",
  author: { userId: "usr_1", login: "ada", name: null, avatarUrl: null },
  aim: { kind: "compare", question: "Which Node?", skipped: [] },
  targets: [target("staging"), target("production"), target("api")],
  asked,
  timeoutMs: 90_000,
  deadline: null,
  startedAt: 1_000,
});

describe("fan-out plan", () => {
  it("asks only the spaces that have neither a child nor a reason they could not be asked", () => {
    const asked = [
      { space: "staging", sessionId: "ses_a" },
      { space: "api", reason: "could not be asked: limit reached" },
    ];
    expect(stillToAsk(plan(asked).targets, asked).map((t) => t.name)).toEqual(["production"]);
  });

  it("adopts a child started for an unrecorded space since the fan-out began, once", () => {
    const children = [
      { sessionId: "ses_old", role: "production", createdAt: 500 },
      { sessionId: "ses_a", role: "staging", createdAt: 1_100 },
      { sessionId: "ses_b", role: "production", createdAt: 1_200 },
      { sessionId: "ses_c", role: "production", createdAt: 1_300 },
    ];
    expect(orphansOf(plan([{ space: "staging", sessionId: "ses_a" }]), children)).toEqual([
      { space: "production", sessionId: "ses_b" },
    ]);
  });

  it("adopts nothing when every space's start was recorded", () => {
    const asked = [
      { space: "staging", sessionId: "ses_a" },
      { space: "production", sessionId: "ses_b" },
      { space: "api", sessionId: "ses_c" },
    ];
    const children = [{ sessionId: "ses_d", role: "api", createdAt: 2_000 }];
    expect(orphansOf(plan(asked), children)).toEqual([]);
  });

  it("waits what is left until the original deadline, and not at all once it passed", () => {
    expect(waitLeftMs(10_000, 4_000)).toBe(6_000);
    expect(waitLeftMs(10_000, 12_000)).toBe(0);
  });
});
