import { describe, expect, it } from "vitest";
import {
  DAY_MS,
  denseUsage,
  median,
  pullRequestCounts,
  rateOf,
  statsWindow,
  utcDay,
} from "./summary.ts";

describe("statsWindow", () => {
  it("covers whole UTC days ending with today", () => {
    const now = Date.UTC(2026, 2, 10, 15, 30);
    const window = statsWindow(now, 3);
    expect(window.days).toEqual(["2026-03-08", "2026-03-09", "2026-03-10"]);
    expect(window.since).toBe(Date.UTC(2026, 2, 8));
    expect(window.until).toBe(now);
  });

  it("is just today for one day, starting at midnight", () => {
    const now = Date.UTC(2026, 0, 1, 0, 0, 0, 1);
    expect(statsWindow(now, 1)).toEqual({
      since: Date.UTC(2026, 0, 1),
      until: now,
      days: ["2026-01-01"],
    });
  });

  it("crosses month and year ends", () => {
    expect(statsWindow(Date.UTC(2026, 0, 1, 12), 2).days).toEqual(["2025-12-31", "2026-01-01"]);
    expect(statsWindow(Date.UTC(2026, 0, 1), 365).days).toHaveLength(365);
  });
});

describe("utcDay", () => {
  it("names the UTC calendar day, whatever the hour", () => {
    expect(utcDay(Date.UTC(2026, 4, 5, 23, 59, 59, 999))).toBe("2026-05-05");
    expect(utcDay(Date.UTC(2026, 4, 5) + DAY_MS)).toBe("2026-05-06");
  });
});

describe("denseUsage", () => {
  it("has one entry per day with zeros where nothing happened", () => {
    const series = denseUsage(
      ["2026-03-08", "2026-03-09", "2026-03-10"],
      [{ day: "2026-03-09", prompts: 4 }],
      [{ day: "2026-03-10", costUsd: 0.1 + 0.2, inputTokens: 1200, outputTokens: 80 }],
    );
    expect(series).toEqual([
      { day: "2026-03-08", prompts: 0, costUsd: 0, inputTokens: 0, outputTokens: 0 },
      { day: "2026-03-09", prompts: 4, costUsd: 0, inputTokens: 0, outputTokens: 0 },
      { day: "2026-03-10", prompts: 0, costUsd: 0.3, inputTokens: 1200, outputTokens: 80 },
    ]);
  });

  it("ignores rows outside the window's days", () => {
    expect(denseUsage(["2026-03-10"], [{ day: "2026-03-01", prompts: 9 }], [])).toEqual([
      { day: "2026-03-10", prompts: 0, costUsd: 0, inputTokens: 0, outputTokens: 0 },
    ]);
  });
});

describe("median", () => {
  it("is null without samples", () => {
    expect(median([])).toBeNull();
  });

  it("is the middle sample of an odd count, in any order", () => {
    expect(median([900, 100, 500])).toBe(500);
  });

  it("is the mean of the middle two of an even count", () => {
    expect(median([400, 100, 200, 1_000])).toBe(300);
    expect(median([1, 2])).toBe(2);
  });

  it("does not reorder its input", () => {
    const samples = [3, 1, 2];
    median(samples);
    expect(samples).toEqual([3, 1, 2]);
  });
});

describe("rateOf", () => {
  it("is null without sessions and a fraction otherwise", () => {
    expect(rateOf(0, 0)).toBeNull();
    expect(rateOf(1, 4)).toBe(0.25);
    expect(rateOf(0, 3)).toBe(0);
  });
});

describe("pullRequestCounts", () => {
  it("counts every kind, zero when absent", () => {
    expect(
      pullRequestCounts([
        { event: "opened", count: 3 },
        { event: "changes_requested", count: 2 },
        { event: "merged", count: 1 },
      ]),
    ).toEqual({ opened: 3, approved: 0, changesRequested: 2, revised: 0, merged: 1, closed: 0 });
  });
});
