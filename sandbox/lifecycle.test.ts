import { describe, expect, it } from "vitest";
import { decide, nextIdleCheck, SANDBOX_IDLE_MS, type SandboxState } from "./lifecycle.ts";

const base: SandboxState = {
  sandbox: null,
  lastSnapshot: null,
  snapshotImageAvailable: true,
  newestImageId: "img_new",
  warmAvailable: false,
  turnRunning: false,
  lastActivityAt: 1_000,
};
const running = { id: "sbx_1", imageId: "img_old", status: "running" as const };
const snapshot = { id: "snp_1", imageId: "img_old" };

describe("sandbox lifecycle decisions", () => {
  describe("when a prompt arrives", () => {
    it("reuses a running sandbox", () => {
      expect(decide({ ...base, sandbox: running }, { kind: "prompt" })).toEqual({
        kind: "reuse",
        sandboxId: "sbx_1",
      });
    });

    it("waits for a sandbox that is starting", () => {
      expect(
        decide({ ...base, sandbox: { ...running, status: "starting" } }, { kind: "prompt" }).kind,
      ).toBe("wait");
    });

    it("restores the last snapshot onto its own image, even when a newer image exists", () => {
      expect(
        decide({ ...base, lastSnapshot: snapshot, warmAvailable: true }, { kind: "prompt" }),
      ).toEqual({
        kind: "restore",
        snapshotId: "snp_1",
        imageId: "img_old",
        announce: null,
      });
    });

    it("claims a warm sandbox on the newest image for a session without changes", () => {
      expect(decide({ ...base, warmAvailable: true }, { kind: "prompt" })).toEqual({
        kind: "claim-warm",
        imageId: "img_new",
      });
    });

    it("starts from the newest image when no warm sandbox is ready", () => {
      expect(decide(base, { kind: "prompt" })).toEqual({ kind: "start", imageId: "img_new" });
    });

    it("waits while the repository has no image yet", () => {
      expect(decide({ ...base, newestImageId: null }, { kind: "prompt" })).toMatchObject({
        kind: "wait",
        reason: expect.stringContaining("no image"),
      });
    });

    it("refuses to start over when the snapshot's image is gone, rather than losing changes", () => {
      const action = decide(
        { ...base, lastSnapshot: snapshot, snapshotImageAvailable: false },
        { kind: "prompt" },
      );
      expect(action).toMatchObject({ kind: "fail", reason: expect.stringContaining("img_old") });
    });

    it("replaces a lost sandbox from the last snapshot and says so", () => {
      const action = decide(
        { ...base, sandbox: { ...running, status: "lost" }, lastSnapshot: snapshot },
        { kind: "prompt" },
      );
      expect(action).toMatchObject({
        kind: "restore",
        snapshotId: "snp_1",
        announce: expect.stringContaining("lost"),
      });
    });

    it("starts a lost session without a snapshot from the newest image", () => {
      expect(
        decide({ ...base, sandbox: { ...running, status: "lost" } }, { kind: "prompt" }),
      ).toEqual({ kind: "start", imageId: "img_new" });
    });
  });

  it("snapshots at the end of every turn while the sandbox keeps running", () => {
    expect(decide({ ...base, sandbox: running }, { kind: "turn-ended" })).toEqual({
      kind: "snapshot",
      sandboxId: "sbx_1",
    });
    expect(decide(base, { kind: "turn-ended" })).toEqual({ kind: "none" });
  });

  it("snapshots and stops a sandbox idle past the deadline, never during a turn", () => {
    const idle = { ...base, sandbox: running };
    expect(decide(idle, { kind: "tick", now: 1_000 + SANDBOX_IDLE_MS - 1 })).toEqual({
      kind: "none",
    });
    expect(decide(idle, { kind: "tick", now: 1_000 + SANDBOX_IDLE_MS })).toEqual({
      kind: "snapshot-and-stop",
      sandboxId: "sbx_1",
    });
    expect(
      decide({ ...idle, turnRunning: true }, { kind: "tick", now: 10 * SANDBOX_IDLE_MS }),
    ).toEqual({ kind: "none" });
    expect(decide(base, { kind: "tick", now: 10 * SANDBOX_IDLE_MS })).toEqual({ kind: "none" });
  });

  it("replaces a sandbox lost during a turn at once, and waits for the next prompt otherwise", () => {
    const lost = {
      ...base,
      sandbox: { ...running, status: "lost" as const },
      lastSnapshot: snapshot,
    };
    expect(decide({ ...lost, turnRunning: true }, { kind: "sandbox-lost" }).kind).toBe("restore");
    expect(decide(lost, { kind: "sandbox-lost" })).toEqual({ kind: "none" });
  });

  it("schedules the idle check only while a sandbox runs", () => {
    expect(nextIdleCheck({ ...base, sandbox: running })).toBe(1_000 + SANDBOX_IDLE_MS);
    expect(nextIdleCheck(base)).toBeNull();
  });

  it("gives an answer for every combination of state and event", () => {
    const sandboxes = [
      null,
      running,
      { ...running, status: "starting" as const },
      { ...running, status: "lost" as const },
    ];
    const events = [
      { kind: "prompt" },
      { kind: "turn-ended" },
      { kind: "tick", now: 99 * SANDBOX_IDLE_MS },
      { kind: "sandbox-lost" },
    ] as const;
    let combinations = 0;
    for (const sandbox of sandboxes)
      for (const lastSnapshot of [null, snapshot])
        for (const snapshotImageAvailable of [true, false])
          for (const newestImageId of [null, "img_new"])
            for (const warmAvailable of [true, false])
              for (const turnRunning of [true, false])
                for (const event of events) {
                  const state = {
                    ...base,
                    sandbox,
                    lastSnapshot,
                    snapshotImageAvailable,
                    newestImageId,
                    warmAvailable,
                    turnRunning,
                  };
                  const action = decide(state, event);
                  combinations++;
                  expect(action.kind).toBeTypeOf("string");
                  // A decision never starts over while a snapshot holds the session's changes.
                  if (lastSnapshot) expect(["start", "claim-warm"]).not.toContain(action.kind);
                  // A running sandbox is never replaced unless the host reported it lost.
                  if (sandbox?.status === "running" && event.kind !== "sandbox-lost")
                    expect(["start", "claim-warm", "restore"]).not.toContain(action.kind);
                }
    expect(combinations).toBe(4 * 2 * 2 * 2 * 2 * 2 * 4);
  });
});
