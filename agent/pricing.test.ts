import { describe, expect, it } from "vitest";
import {
  addUsage,
  affordableOutputTokens,
  costOf,
  priceOf,
  usageOfCall,
  ZERO_USAGE,
} from "./pricing.ts";

describe("pricing", () => {
  it("prices by model family, most specific first, with a mid-range fallback", () => {
    expect(priceOf("claude-opus-5-5")).toEqual({ input: 4, output: 20 });
    expect(priceOf("claude-opus-5")).toEqual({ input: 5, output: 25 });
    expect(priceOf("claude-sonnet-5-5")).toEqual({ input: 2, output: 10 });
    expect(priceOf("claude-opus-4-5-20251101")).toEqual({ input: 5, output: 25 });
    expect(priceOf("claude-opus-4-1")).toEqual({ input: 15, output: 75 });
    expect(priceOf("claude-sonnet-4-5")).toEqual({ input: 3, output: 15 });
    expect(priceOf("claude-haiku-4-5")).toEqual({ input: 1, output: 5 });
    expect(priceOf("some-local-model")).toEqual({ input: 3, output: 15 });
  });

  it("charges cache writes at 1.25× and cache reads at 0.1× the input price", () => {
    const cost = costOf("claude-sonnet-4-5", {
      inputTokens: 1_000_000,
      outputTokens: 1_000_000,
      cacheReadTokens: 1_000_000,
      cacheWriteTokens: 1_000_000,
    });
    expect(cost).toBeCloseTo(3 + 15 + 0.3 + 3.75, 6);
  });

  it("reads a call's reported usage, missing cache counts as none", () => {
    expect(usageOfCall("claude-haiku-4-5", { input_tokens: 2_000, output_tokens: 100 })).toEqual({
      inputTokens: 2_000,
      outputTokens: 100,
      cacheReadTokens: 0,
      cacheWriteTokens: 0,
      costUsd: (2_000 * 1 + 100 * 5) / 1_000_000,
    });
    expect(
      usageOfCall("claude-haiku-4-5", {
        input_tokens: null,
        output_tokens: 10,
        cache_read_input_tokens: 1_000,
        cache_creation_input_tokens: null,
      }).costUsd,
    ).toBeCloseTo((10 * 5 + 1_000 * 0.1) / 1_000_000, 12);
  });

  it("adds usage", () => {
    const one = {
      inputTokens: 1,
      outputTokens: 2,
      cacheReadTokens: 3,
      cacheWriteTokens: 4,
      costUsd: 0.5,
    };
    expect(addUsage(addUsage(ZERO_USAGE, one), one)).toEqual({
      inputTokens: 2,
      outputTokens: 4,
      cacheReadTokens: 6,
      cacheWriteTokens: 8,
      costUsd: 1,
    });
  });

  it("affords the output that keeps the session under its limit", () => {
    // $1 limit, $0.40 spent, 100k input tokens at $3/M = $0.30 → $0.30 left for output at $15/M.
    expect(affordableOutputTokens("claude-sonnet-4-5", 0.4, 1, 100_000)).toBe(20_000);
    expect(affordableOutputTokens("claude-sonnet-4-5", 0.99, 1, 100_000)).toBe(0);
  });
});
