import { describe, expect, it } from "vitest";
import { parseSpendLimit, spendLimitText } from "./spend-limit.ts";

describe("parseSpendLimit", () => {
  it("reads an empty field as no limit", () => {
    expect(parseSpendLimit("  ")).toEqual({ ok: true, usd: null });
  });

  it("reads dollars with or without a sign, cents and thousands separators", () => {
    expect(parseSpendLimit("5")).toEqual({ ok: true, usd: 5 });
    expect(parseSpendLimit("$12.50")).toEqual({ ok: true, usd: 12.5 });
    expect(parseSpendLimit(".5")).toEqual({ ok: true, usd: 0.5 });
    expect(parseSpendLimit("1,000")).toEqual({ ok: true, usd: 1000 });
  });

  it("refuses zero, negative, too large and non-numbers with a sentence", () => {
    expect(parseSpendLimit("0")).toMatchObject({
      ok: false,
      problem: expect.stringMatching(/more than \$0/),
    });
    expect(parseSpendLimit("-3")).toMatchObject({ ok: false });
    expect(parseSpendLimit("10000.01")).toMatchObject({
      ok: false,
      problem: expect.stringMatching(/at most/),
    });
    expect(parseSpendLimit("10000")).toEqual({ ok: true, usd: 10_000 });
    expect(parseSpendLimit("five")).toMatchObject({
      ok: false,
      problem: expect.stringMatching(/in dollars/),
    });
  });

  it("shows a limit back as the field's text", () => {
    expect(spendLimitText(null)).toBe("");
    expect(spendLimitText(12.5)).toBe("12.5");
  });
});
