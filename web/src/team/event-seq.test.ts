import { describe, expect, it } from "vitest";
import type { SessionEvent } from "../../../protocol/events.ts";
import { lastSeqOf } from "./event-seq.ts";

const stopped = (seq: number): SessionEvent => ({
  seq,
  at: seq,
  actor: null,
  type: "team.shut_down",
  data: { by: "lead" },
});
const sent = (seq: number): SessionEvent => ({
  seq,
  at: seq,
  actor: null,
  type: "mailbox.sent",
  data: { to: ["scout"], text: "hi" },
});
const settings = (seq: number): SessionEvent => ({
  seq,
  at: seq,
  actor: null,
  type: "session.settings_changed",
  data: { model: "m", spendLimitUsd: null },
});

describe("lastSeqOf", () => {
  it("finds the newest event of any of the kinds asked for", () => {
    const events = [stopped(1), sent(2), settings(3)];
    expect(lastSeqOf(events, ["team.", "mailbox."])).toBe(2);
    expect(lastSeqOf(events, ["team."])).toBe(1);
  });

  it("answers 0 when no event is of those kinds", () => {
    expect(lastSeqOf([settings(1)], ["pipeline."])).toBe(0);
    expect(lastSeqOf([], ["team."])).toBe(0);
  });
});
