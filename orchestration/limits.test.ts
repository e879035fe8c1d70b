import { describe, expect, it } from "vitest";
import { DEFAULT_TEAM_LIMITS, spawnRefusal, teamLimitsFrom } from "./limits.ts";

const limits = { maxDepth: 2, maxRunning: 2, maxChildren: 3, maxWakes: 5 };

describe("team limits", () => {
  it("lets a session start children within every limit", () => {
    expect(spawnRefusal(limits, { depth: 1, running: 1, total: 2 })).toBeNull();
  });

  it("refuses past the depth, the total and the running limit, each saying what to do", () => {
    expect(spawnRefusal(limits, { depth: 2, running: 0, total: 0 })).toContain("nested 2 deep");
    expect(spawnRefusal(limits, { depth: 0, running: 0, total: 3 })).toContain(
      "the most one session may start (3)",
    );
    expect(spawnRefusal(limits, { depth: 0, running: 2, total: 2 })).toContain("wait_for_sessions");
  });

  it("reads limits from configuration, blank meaning the default, and names a wrong key", () => {
    expect(teamLimitsFrom({})).toEqual(DEFAULT_TEAM_LIMITS);
    expect(teamLimitsFrom({ TANDEM_MAX_SESSION_DEPTH: "", TANDEM_MAX_CHILDREN: "7" })).toEqual({
      ...DEFAULT_TEAM_LIMITS,
      maxChildren: 7,
    });
    expect(() => teamLimitsFrom({ TANDEM_MAX_RUNNING_CHILDREN: "0" })).toThrow(
      /TANDEM_MAX_RUNNING_CHILDREN/,
    );
  });
});
