import { describe, expect, it } from "vitest";
import { matchPath } from "./router.ts";

describe("matchPath", () => {
  it("returns the named parts of a matching path", () => {
    expect(matchPath("/sessions/:id", "/sessions/ses_1")).toEqual({ id: "ses_1" });
  });

  it("ignores a trailing slash", () => {
    expect(matchPath("/join/:id", "/join/ses_2/")).toEqual({ id: "ses_2" });
  });

  it("returns null when a fixed part or the length differs", () => {
    expect(matchPath("/sessions/:id", "/join/ses_1")).toBeNull();
    expect(matchPath("/sessions/:id", "/sessions/ses_1/extra")).toBeNull();
  });

  it("matches the root path only against the root pattern", () => {
    expect(matchPath("/", "/")).toEqual({});
    expect(matchPath("/", "/sessions")).toBeNull();
  });
});
