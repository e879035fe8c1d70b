import { describe, expect, it } from "vitest";
import {
  broadcastTargets,
  capSummary,
  childName,
  memberState,
  resolveMember,
  SUMMARY_CHARS,
  wakeDecision,
  type Neighbourhood,
} from "./members.ts";

const around: Neighbourhood = {
  self: { sessionId: "ses_b", name: "builder" },
  parent: { sessionId: "ses_lead", name: "lead" },
  children: [{ sessionId: "ses_c", name: "tester-1" }],
  siblings: [
    { sessionId: "ses_r", name: "reviewer" },
    { sessionId: "ses_lead", name: "lead-again" },
  ],
};

describe("team members", () => {
  it("derives the state from the queue, shut down winning", () => {
    expect(memberState({ busy: true, shutDown: false })).toBe("working");
    expect(memberState({ busy: false, shutDown: false })).toBe("idle");
    expect(memberState({ busy: true, shutDown: true })).toBe("shut_down");
  });

  it("names children after their role, numbered, and refuses a taken name", () => {
    const taken = new Set(["reviewer-1"]);
    expect(childName(null, "Reviewer", taken)).toEqual({ ok: true, name: "reviewer-2" });
    expect(childName(null, null, new Set())).toEqual({ ok: true, name: "child-1" });
    expect(childName(null, "42 QA!", new Set())).toEqual({ ok: true, name: "qa-1" });
    expect(childName("reviewer-1", null, taken)).toMatchObject({ ok: false });
  });

  it("resolves parent, children and siblings by name or id, and lists them when unknown", () => {
    expect(resolveMember(around, "parent")).toEqual({
      ok: true,
      sessionId: "ses_lead",
      name: "parent",
    });
    expect(resolveMember(around, "tester-1")).toMatchObject({ ok: true, sessionId: "ses_c" });
    expect(resolveMember(around, "ses_r")).toMatchObject({ ok: true, name: "reviewer" });
    const unknown = resolveMember(around, "nobody");
    expect(unknown.ok).toBe(false);
    expect(!unknown.ok && unknown.reason).toContain("parent, tester-1, reviewer");
    expect(resolveMember(around, "builder")).toMatchObject({ ok: false });
  });

  it("broadcasts to each linked session once, never to itself", () => {
    expect(broadcastTargets(around).map((t) => t.sessionId)).toEqual([
      "ses_lead",
      "ses_c",
      "ses_r",
    ]);
  });

  it("wakes only an idle session, and not past the limit of wakes in a row", () => {
    expect(wakeDecision({ state: "idle", wakesInARow: 0, maxWakes: 2 })).toBe("wake");
    expect(wakeDecision({ state: "working", wakesInARow: 0, maxWakes: 2 })).toBe("busy");
    expect(wakeDecision({ state: "shut_down", wakesInARow: 0, maxWakes: 2 })).toBe("shut_down");
    expect(wakeDecision({ state: "idle", wakesInARow: 2, maxWakes: 2 })).toBe("limit");
  });

  it("caps a summary, keeping its start", () => {
    const long = "a".repeat(SUMMARY_CHARS + 10);
    expect(capSummary(long)).toHaveLength(SUMMARY_CHARS);
    expect(capSummary("  short \n")).toBe("short");
  });
});
