import { describe, expect, it } from "vitest";
import { axisFor, barsFor, decimalsOf, niceStep, percentOf } from "./chart-scale.ts";

describe("niceStep", () => {
  it("rounds up to 1, 2 or 5 times a power of ten", () => {
    expect(niceStep(1)).toBe(1);
    expect(niceStep(1.2)).toBe(2);
    expect(niceStep(3)).toBe(5);
    expect(niceStep(7)).toBe(10);
    expect(niceStep(0.0085)).toBe(0.01);
    expect(niceStep(0.3)).toBe(0.5);
    expect(niceStep(2_500)).toBe(5_000);
  });
});

describe("axisFor", () => {
  it("fits the largest value under a round top with about four intervals", () => {
    expect(axisFor(7, { integer: true })).toEqual({ top: 8, step: 2, ticks: [0, 2, 4, 6, 8] });
    expect(axisFor(100)).toEqual({ top: 100, step: 50, ticks: [0, 50, 100] });
    expect(axisFor(12_345).top).toBe(15_000);
  });

  it("keeps counts in whole steps", () => {
    expect(axisFor(2, { integer: true })).toEqual({ top: 2, step: 1, ticks: [0, 1, 2] });
  });

  it("handles small amounts of money without binary noise", () => {
    expect(axisFor(0.034)).toEqual({ top: 0.04, step: 0.01, ticks: [0, 0.01, 0.02, 0.03, 0.04] });
    expect(axisFor(0.3).ticks).toEqual([0, 0.1, 0.2, 0.3]);
  });

  it("gives an empty chart an axis from 0 to 1", () => {
    expect(axisFor(0, { integer: true })).toEqual({ top: 1, step: 1, ticks: [0, 1] });
    expect(axisFor(0).top).toBe(1);
    expect(axisFor(Number.NaN).top).toBe(1);
  });

  it("never puts the top below the largest value", () => {
    for (const max of [1, 3, 9.99, 10, 10.01, 47, 999, 1_001, 0.0123]) {
      expect(axisFor(max).top).toBeGreaterThanOrEqual(max);
    }
  });
});

describe("barsFor", () => {
  it("gives each value an equal slot and a height in proportion to the axis", () => {
    const axis = axisFor(8, { integer: true });
    const bars = barsFor([0, 4, 8, 2], axis, { width: 400, height: 100 }, { gapRatio: 0.5 });
    expect(bars.map((b) => b.x)).toEqual([25, 125, 225, 325]);
    expect(bars.map((b) => b.width)).toEqual([50, 50, 50, 50]);
    expect(bars.map((b) => b.height)).toEqual([0, 50, 100, 25]);
    expect(bars.map((b) => b.y)).toEqual([100, 50, 0, 75]);
  });

  it("keeps a tiny value visible and a zero flat", () => {
    const axis = axisFor(1_000);
    const [zero, tiny] = barsFor([0, 1], axis, { width: 20, height: 200 }, { minHeight: 3 });
    expect(zero!.height).toBe(0);
    expect(tiny!.height).toBe(3);
    expect(tiny!.y).toBe(197);
  });

  it("draws nothing for no values", () => {
    expect(barsFor([], axisFor(0), { width: 100, height: 100 })).toEqual([]);
  });
});

describe("percentOf", () => {
  it("places a gridline by its share of the top", () => {
    const axis = axisFor(0.034);
    expect(axis.ticks.map((tick) => percentOf(tick, axis))).toEqual([0, 25, 50, 75, 100]);
  });
});

describe("decimalsOf", () => {
  it("counts the decimals a step needs", () => {
    expect(decimalsOf(5)).toBe(0);
    expect(decimalsOf(0.5)).toBe(1);
    expect(decimalsOf(0.25)).toBe(2);
    expect(decimalsOf(axisFor(0.0034).step)).toBe(3);
    expect(decimalsOf(0.0000002)).toBe(7);
  });
});
