import { describe, expect, it } from "vitest";
import {
  displayName,
  formatCost,
  formatDuration,
  formatTokens,
  initials,
  relativeTime,
  snippet,
} from "./format.ts";

const person = (login: string, name: string | null = null) => ({
  userId: `usr_${login}`,
  login,
  name,
  avatarUrl: null,
});

describe("people", () => {
  it("shows a person's name, falling back to their login", () => {
    expect(displayName(person("ada", "Ada Lovelace"))).toBe("Ada Lovelace");
    expect(displayName(person("bob"))).toBe("bob");
    expect(displayName(person("cy", "  "))).toBe("cy");
  });

  it("takes the first and last initials of a name and two letters of a login", () => {
    expect(initials(person("ada", "Ada King Lovelace"))).toBe("AL");
    expect(initials(person("bob"))).toBe("BO");
  });
});

describe("relativeTime", () => {
  const now = 10 * 24 * 3_600_000;
  it("counts minutes, hours and days", () => {
    expect(relativeTime(now - 10_000, now)).toBe("just now");
    expect(relativeTime(now - 5 * 60_000, now)).toBe("5 min ago");
    expect(relativeTime(now - 3 * 3_600_000, now)).toBe("3 h ago");
    expect(relativeTime(now - 2 * 24 * 3_600_000, now)).toBe("2 d ago");
  });
});

describe("snippet", () => {
  it("folds whitespace and cuts long text with an ellipsis", () => {
    expect(snippet("a\n  b", 10)).toBe("a b");
    expect(snippet("abcdefghijk", 5)).toBe("abcd…");
  });
});

describe("usage and durations", () => {
  it("shortens token counts", () => {
    expect(formatTokens(950)).toBe("950");
    expect(formatTokens(1_234)).toBe("1.2k");
    expect(formatTokens(12_345)).toBe("12k");
    expect(formatTokens(999_999)).toBe("1M");
    expect(formatTokens(2_500_000)).toBe("2.5M");
  });

  it("shows costs in cents, and tiny costs as under a cent", () => {
    expect(formatCost(0)).toBe("$0");
    expect(formatCost(0.004)).toBe("<$0.01");
    expect(formatCost(1.5)).toBe("$1.50");
  });

  it("shows durations in the largest sensible unit", () => {
    expect(formatDuration(320)).toBe("320 ms");
    expect(formatDuration(4_230)).toBe("4.2 s");
    expect(formatDuration(185_000)).toBe("3 min 5 s");
    expect(formatDuration(120_000)).toBe("2 min");
  });
});
