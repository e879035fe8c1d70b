import { describe, expect, it } from "vitest";
import { displayName, initials, relativeTime, snippet } from "./format.ts";

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
