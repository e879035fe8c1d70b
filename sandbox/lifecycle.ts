// What to do with a session's sandbox now: a pure function of what the session has stored.

/** How long a sandbox may sit idle before it is snapshotted and stopped. */
export const SANDBOX_IDLE_MS = 10 * 60_000;

/** What a session knows about its sandbox. */
export interface SandboxState {
  sandbox: { id: string; imageId: string; status: "starting" | "running" | "lost" } | null;
  /** The snapshot taken when the last turn ended (bound to its image), if any, and when the host
   * took it (0 when not known). */
  lastSnapshot: { id: string; imageId: string; takenAt: number } | null;
  /** What the host saved of the lost sandbox when it restarted after a crash, if anything; `at`
   * is on the host's clock, like `lastSnapshot.takenAt`. */
  rescue: { snapshotId: string; imageId: string; at: number } | null;
  /** Whether the snapshot's image still exists (the registry keeps it while snapshots refer to it). */
  snapshotImageAvailable: boolean;
  /** The repository's newest image, or null before the first build. */
  newestImageId: string | null;
  /** Whether the repository's warm pool has a ready sandbox on the newest image. */
  warmAvailable: boolean;
  turnRunning: boolean;
  lastActivityAt: number;
}

/** Why the session is asking. */
export type LifecycleEvent =
  | { kind: "prompt" } // a turn is about to start (or someone started typing)
  | { kind: "turn-ended" }
  | { kind: "tick"; now: number } // the idle deadline came round
  | { kind: "sandbox-lost" }; // the host no longer knows the sandbox

/** The decision. */
export type LifecycleAction =
  | { kind: "none" }
  | { kind: "reuse"; sandboxId: string }
  | { kind: "wait"; reason: string }
  | { kind: "claim-warm"; imageId: string }
  | { kind: "start"; imageId: string }
  | {
      kind: "restore";
      snapshotId: string;
      imageId: string;
      /** When the snapshot was taken; the session's last snapshot becomes this one. */
      takenAt: number;
      announce: string | null;
    }
  | { kind: "snapshot"; sandboxId: string }
  | { kind: "snapshot-and-stop"; sandboxId: string }
  | { kind: "fail"; reason: string };

/** Decides what to do with the sandbox for an event. */
export function decide(state: SandboxState, event: LifecycleEvent): LifecycleAction {
  switch (event.kind) {
    case "prompt":
      return forPrompt(state);
    case "turn-ended":
      return state.sandbox?.status === "running"
        ? { kind: "snapshot", sandboxId: state.sandbox.id }
        : { kind: "none" };
    case "tick": {
      const sandbox = state.sandbox;
      if (!sandbox || sandbox.status !== "running" || state.turnRunning) return { kind: "none" };
      return event.now - state.lastActivityAt >= SANDBOX_IDLE_MS
        ? { kind: "snapshot-and-stop", sandboxId: sandbox.id }
        : { kind: "none" };
    }
    case "sandbox-lost":
      return state.turnRunning ? replacement(state, "The sandbox was lost") : { kind: "none" };
    default:
      return event satisfies never;
  }
}

/** When the next idle check is due, or null when no sandbox runs. */
export function nextIdleCheck(state: SandboxState): number | null {
  return state.sandbox?.status === "running" ? state.lastActivityAt + SANDBOX_IDLE_MS : null;
}

function forPrompt(state: SandboxState): LifecycleAction {
  const sandbox = state.sandbox;
  if (sandbox?.status === "running") return { kind: "reuse", sandboxId: sandbox.id };
  if (sandbox?.status === "starting") return { kind: "wait", reason: "The sandbox is starting." };
  if (sandbox?.status === "lost") return replacement(state, "The sandbox was lost");
  return fresh(state);
}

/** A sandbox for a session that has none: its last snapshot first, so no change is lost. */
function fresh(state: SandboxState): LifecycleAction {
  if (state.lastSnapshot) {
    if (!state.snapshotImageAvailable) {
      return {
        kind: "fail",
        reason: `The image of the last snapshot (${state.lastSnapshot.imageId}) is gone; the session's changes cannot be restored.`,
      };
    }
    return {
      kind: "restore",
      snapshotId: state.lastSnapshot.id,
      imageId: state.lastSnapshot.imageId,
      takenAt: state.lastSnapshot.takenAt,
      announce: null,
    };
  }
  if (!state.newestImageId)
    return { kind: "wait", reason: "The repository has no image yet; the first build is running." };
  return state.warmAvailable
    ? { kind: "claim-warm", imageId: state.newestImageId }
    : { kind: "start", imageId: state.newestImageId };
}

/** The timeline's word for a replacement from the rescue. */
export const RESCUE_ANNOUNCEMENT =
  "The sandbox host restarted; the sandbox was restored from what it held when it stopped.";

/** The rescue of the lost sandbox when it may replace it: on the image the sandbox stood on
 * (a snapshot restores only onto its own image) and newer than the last snapshot. */
function usableRescue(state: SandboxState): SandboxState["rescue"] {
  const { sandbox, rescue, lastSnapshot } = state;
  if (!rescue || sandbox?.status !== "lost" || rescue.imageId !== sandbox.imageId) return null;
  return !lastSnapshot || rescue.at > lastSnapshot.takenAt ? rescue : null;
}

/** Replaces a lost sandbox from what the host rescued of it, else from the last snapshot, saying which. */
function replacement(state: SandboxState, what: string): LifecycleAction {
  const rescue = usableRescue(state);
  if (rescue) {
    return {
      kind: "restore",
      snapshotId: rescue.snapshotId,
      imageId: rescue.imageId,
      takenAt: rescue.at,
      announce: RESCUE_ANNOUNCEMENT,
    };
  }
  const next = fresh(state);
  if (next.kind === "restore") {
    return {
      ...next,
      announce: `${what}; restored from the snapshot taken when the last turn ended. Work since then is gone.`,
    };
  }
  return next;
}
