import { describe, expect, it } from "vitest";
import { idPattern, newId } from "./ids.ts";

describe("ids", () => {
  it("are prefixed, fixed-length and match their pattern", () => {
    const id = newId("ses");
    expect(id).toMatch(idPattern("ses"));
    expect(id).toHaveLength(30);
    expect(idPattern("msg").test(id)).toBe(false);
  });

  it("sort by creation time", () => {
    const ids = [1_000, 2_000, 1_700_000_000_000, 1_800_000_000_000].map((t) => newId("msg", t));
    expect([...ids].sort()).toEqual(ids);
  });

  it("do not repeat", () => {
    const ids = new Set(Array.from({ length: 10_000 }, () => newId("evt", 5)));
    expect(ids.size).toBe(10_000);
  });
});
