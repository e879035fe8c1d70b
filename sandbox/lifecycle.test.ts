import { describe, expect, it } from "vitest";
import {
  decide,
  nextIdleCheck,
  RESCUE_ANNOUNCEMENT,
  SANDBOX_IDLE_MS,
  type SandboxState,
} from "./lifecycle.ts";

const base: SandboxState = {
  sandbox: null,
  lastSnapshot: null,
  rescue: null,
  snapshotImageAvailable: true,
  newestImageId: "img_new",
  warmAvailable: false,
  turnRunning: false,
  lastActivityAt: 1_000,
};
const running = { id: "sbx_1", imageId: "img_old", status: "running" as const };
const snapshot = { id: "snp_1", imageId: "img_old", takenAt: 5_000 };
const lost = { ...running, status: "lost" as const };
/** Saved by the host when it restarted, after the last turn's snapshot. */
const rescue = { snapshotId: "snp_rescue", imageId: "img_old", at: 9_000 };

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
        takenAt: 5_000,
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

    it("replaces a lost sandbox from what the host rescued of it, and says so", () => {
      expect(
        decide({ ...base, sandbox: lost, lastSnapshot: snapshot, rescue }, { kind: "prompt" }),
      ).toEqual({
        kind: "restore",
        snapshotId: "snp_rescue",
        imageId: "img_old",
        takenAt: 9_000,
        announce: RESCUE_ANNOUNCEMENT,
      });
    });

    it("uses a rescue of a sandbox lost before its first snapshot rather than starting over", () => {
      expect(decide({ ...base, sandbox: lost, rescue }, { kind: "prompt" })).toMatchObject({
        kind: "restore",
        snapshotId: "snp_rescue",
      });
    });

    it("keeps to the last snapshot when the rescue is older or on another image", () => {
      for (const stale of [
        { ...rescue, at: 4_000 },
        { ...rescue, at: 5_000 },
        { ...rescue, imageId: "img_new" },
      ]) {
        expect(
          decide(
            { ...base, sandbox: lost, lastSnapshot: snapshot, rescue: stale },
            { kind: "prompt" },
          ),
        ).toMatchObject({
          kind: "restore",
          snapshotId: "snp_1",
          announce: expect.stringContaining("Work since then is gone"),
        });
      }
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
    const lostState = {
      ...base,
      sandbox: { ...running, status: "lost" as const },
      lastSnapshot: snapshot,
    };
    expect(decide({ ...lostState, turnRunning: true }, { kind: "sandbox-lost" }).kind).toBe(
      "restore",
    );
    expect(decide(lostState, { kind: "sandbox-lost" })).toEqual({ kind: "none" });
    expect(
      decide({ ...lostState, rescue, turnRunning: true }, { kind: "sandbox-lost" }),
    ).toMatchObject({ kind: "restore", snapshotId: "snp_rescue" });
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
    const rescues = [null, rescue, { ...rescue, at: 1_000 }, { ...rescue, imageId: "img_other" }];
    for (const sandbox of sandboxes)
      for (const lastSnapshot of [null, snapshot])
        for (const saved of rescues)
          for (const snapshotImageAvailable of [true, false])
            for (const newestImageId of [null, "img_new"])
              for (const warmAvailable of [true, false])
                for (const turnRunning of [true, false])
                  for (const event of events) {
                    const state = {
                      ...base,
                      sandbox,
                      lastSnapshot,
                      rescue: saved,
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
                    // A rescue restores only a lost sandbox, onto its image, when newer than the snapshot.
                    if (action.kind === "restore" && action.snapshotId === rescue.snapshotId) {
                      expect(sandbox?.status).toBe("lost");
                      expect(action.imageId).toBe(sandbox?.imageId);
                      expect(action.takenAt).toBeGreaterThan(lastSnapshot?.takenAt ?? 0);
                    }
                    // A rescue that may replace the lost sandbox is always the one chosen.
                    if (
                      saved === rescue &&
                      sandbox?.status === "lost" &&
                      (event.kind === "prompt" || (event.kind === "sandbox-lost" && turnRunning))
                    )
                      expect(action).toMatchObject({ kind: "restore", snapshotId: "snp_rescue" });
                  }
    expect(combinations).toBe(4 * 2 * 4 * 2 * 2 * 2 * 2 * 4);
  });
});
