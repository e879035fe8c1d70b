// Deciding conditions: from the handoff alone, or through the sandbox probe only when needed.
import { describe, expect, it } from "vitest";
import type { Condition } from "./condition.ts";
import { brokenContractReason, checkConditions, describeCondition, holds } from "./contracts.ts";
import type { ContractProbe } from "./contracts.ts";

/** A probe with a fixed answer that records what it was asked. */
function fakeProbe(
  changes: boolean,
  commands: Record<string, { exitCode: number; output: string }> = {},
) {
  const calls: string[] = [];
  const probe: ContractProbe = {
    changes: async () => {
      calls.push("changes");
      return changes;
    },
    command: async (argv) => {
      calls.push(argv.join(" "));
      return commands[argv.join(" ")] ?? { exitCode: 0, output: "" };
    },
  };
  return { probe, calls };
}

const subject = { fields: { summary: "Done.", findings: "", plan: "1. x" }, verdict: "approved" };

describe("checkConditions", () => {
  it("passes an empty list without touching the probe", async () => {
    const { probe, calls } = fakeProbe(false);
    expect(await checkConditions([], subject, probe)).toEqual({ ok: true });
    expect(calls).toEqual([]);
  });

  it("decides has and verdict without the probe", async () => {
    const { probe, calls } = fakeProbe(false);
    const conditions: Condition[] = [{ has: "plan" }, { verdict: ["approved", "passed"] }];
    expect(await checkConditions(conditions, subject, probe)).toEqual({ ok: true });
    expect(calls).toEqual([]);
  });

  it("says which fields are missing or empty and which verdict was wrong", async () => {
    const { probe } = fakeProbe(false);
    const conditions: Condition[] = [
      { has: "tests" },
      { has: "findings" },
      { verdict: ["passed"] },
    ];
    const result = await checkConditions(conditions, subject, probe);
    expect(result.ok ? [] : result.failed.map((item) => item.reason)).toEqual([
      "the field `tests` was not handed over",
      "the field `findings` was handed over empty",
      "the verdict was `approved`, not passed",
    ]);
    const none = await checkConditions(
      [{ verdict: ["a", "b"] }],
      { fields: {}, verdict: null },
      probe,
    );
    expect(!none.ok && none.failed[0]?.reason).toBe(
      "no verdict was handed over; it must be a or b",
    );
  });

  it("asks the probe about changes once, however many conditions need it", async () => {
    const { probe, calls } = fakeProbe(false);
    const result = await checkConditions([{ changes: true }, { changes: false }], subject, probe);
    expect(calls).toEqual(["changes"]);
    expect(result.ok ? [] : result.failed.map((item) => item.reason)).toEqual([
      "the workspace has no changes against the base",
    ]);
  });

  it("quotes the end of a failing command's output, capped near 1 KB", async () => {
    const output = `${"early line\n".repeat(200)}FAILED: test_parse (2 failures)\n`;
    const { probe } = fakeProbe(true, { "npm test": { exitCode: 1, output } });
    const result = await checkConditions([{ command: ["npm", "test"] }], subject, probe);
    const reason = result.ok ? "" : (result.failed[0]?.reason ?? "");
    expect(reason.startsWith("`npm test` exited with 1:\n…\nearly line\n")).toBe(true);
    expect(reason.endsWith("FAILED: test_parse (2 failures)")).toBe(true);
    expect(new TextEncoder().encode(reason).length).toBeLessThan(1_100);
  });

  it("says when a failing command printed nothing, and quotes arguments with spaces", async () => {
    const { probe } = fakeProbe(true, { "sh -c exit 3": { exitCode: 3, output: " \n" } });
    const result = await checkConditions([{ command: ["sh", "-c", "exit 3"] }], subject, probe);
    expect(!result.ok && result.failed[0]?.reason).toBe(
      '`sh -c "exit 3"` exited with 3 and printed nothing',
    );
  });
});

describe("holds", () => {
  it("holds for an empty list and when every condition holds", () => {
    expect(holds([], subject)).toBe(true);
    expect(holds([{ has: "plan" }, { verdict: ["approved"] }], subject)).toBe(true);
    expect(holds([{ has: "plan" }, { verdict: ["changes_requested"] }], subject)).toBe(false);
  });
});

describe("describeCondition", () => {
  it("puts every kind of condition in words", () => {
    expect(
      [
        { has: "findings" },
        { verdict: ["approved", "changes_requested"] },
        { changes: true },
        { changes: false },
        { command: ["python3", "-m", "unittest"] },
      ].map(describeCondition),
    ).toEqual([
      "the field `findings` is handed over and not empty",
      "the verdict is approved or changes_requested",
      "the workspace has changes against the base",
      "the workspace has no changes against the base",
      "`python3 -m unittest` exits with 0",
    ]);
  });
});

describe("brokenContractReason", () => {
  it("names the role, the side and every reason", () => {
    expect(
      brokenContractReason("verify", "output", [
        { condition: { has: "tests" }, reason: "the field `tests` was not handed over" },
        {
          condition: { verdict: ["passed"] },
          reason: "no verdict was handed over; it must be passed",
        },
      ]),
    ).toBe(
      "The output contract of `verify` was not met after it handed over: the field `tests` was not handed over; no verdict was handed over; it must be passed",
    );
  });
});
