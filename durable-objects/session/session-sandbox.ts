// The session's sandbox: gets one ready (claim, start or restore, then sync to the latest commit)
// when a prompt arrives, snapshots it when a turn ends, and puts it to sleep when idle. What to do
// is decided by `sandbox/lifecycle.ts`; this module carries the decisions out and reports them.
import type { PoolStatus } from "../../protocol/registry.ts";
import type { SandboxStatus } from "../../protocol/events.ts";
import {
  decide,
  nextIdleCheck,
  type LifecycleAction,
  type SandboxState,
} from "../../sandbox/lifecycle.ts";
import type { SandboxProvider } from "../../sandbox/provider.ts";
import type { RoomContext } from "./room-context.ts";
import type { SandboxStateRow } from "./store.ts";

/** The deadline kind of the idle check on the session's single alarm. */
export const SANDBOX_IDLE_DEADLINE = "sandbox.idle";

/** What the session needs to know of its repository to run a sandbox for it. */
export interface RepositoryInfo {
  cloneUrl: string;
  defaultBranch: string;
}

/** The outside systems a session's sandbox involves. */
export interface SessionSandboxDeps {
  provider: SandboxProvider | null;
  /** The repository's registration, or null when it has none (then sessions run without a sandbox). */
  repository: (repo: string) => Promise<RepositoryInfo | null>;
  pool: (repo: string) => { status(): Promise<PoolStatus>; claim(): Promise<string | null> };
  /** A credential minted for one sync of the repository (never enters the sandbox); none when absent. */
  credential?: (repo: string) => Promise<{ username: string; password: string } | null>;
}

/** An answer to "is the sandbox there yet": yes with its id, or why there will be none. */
export type Readiness = { ok: true; sandboxId: string } | { ok: false; reason: string };

export class SessionSandbox {
  private readonly room: RoomContext;
  private readonly deps: SessionSandboxDeps;
  private inFlight: Promise<void> | null = null;
  /** What this object knows now: the sandbox that exists and whether its workspace is synced. */
  private current: { sandboxId: string; synced: boolean } | null = null;
  /** Why the last preparation gave no sandbox; cleared when the next one starts. */
  private failure: string | null = null;
  /** False while a preparation checks whether the host still has `current`: a restart of the
   * host takes its sandboxes, and tools must wait for the replacement rather than call a dead one. */
  private confirmed = true;
  private readonly waiters = new Set<() => void>();
  /** Told each time a new sandbox (started, claimed or restored) is ready. */
  private readonly readyListeners: ((sandboxId: string) => Promise<void>)[] = [];

  constructor(room: RoomContext, deps: SessionSandboxDeps) {
    this.room = room;
    this.deps = deps;
  }

  /** Calls `listener` in the background whenever a new sandbox becomes ready. */
  onReady(listener: (sandboxId: string) => Promise<void>): void {
    this.readyListeners.push(listener);
  }

  /** Someone is using the running sandbox (a preview): it counts as activity for the idle check. */
  touch(): void {
    if (this.room.store.sandbox().status !== "running") return;
    this.room.store.saveSandbox({ lastActivityAt: this.room.now() });
    this.scheduleIdleCheck();
  }

  /** Makes sure a sandbox is (getting) ready; one preparation at a time. */
  ensure(): Promise<void> {
    if (this.inFlight) return this.inFlight;
    this.failure = null;
    this.confirmed = this.current === null;
    this.inFlight = this.prepare()
      .catch((error: unknown) => {
        const detail = error instanceof Error ? error.message : String(error);
        this.report("failed", { detail });
        // A sandbox that exists but failed to sync still serves reads; writes learn why they wait no more.
        this.know(this.current, `the sandbox could not be made ready: ${detail}`);
      })
      .finally(() => {
        this.inFlight = null;
        this.confirmed = true;
        // Whoever still waits learns the outcome (or starts the next try).
        for (const wake of [...this.waiters]) wake();
      });
    return this.inFlight;
  }

  get provider(): SandboxProvider | null {
    return this.deps.provider;
  }

  /** The repository's registration (clone URL, default branch), or null when it has none. */
  async repositoryInfo(): Promise<RepositoryInfo | null> {
    const repo = this.room.store.meta()?.repo;
    return repo ? this.deps.repository(repo) : null;
  }

  /** Whether the workspace is at the latest commit of its base branch. */
  isSynced(): boolean {
    return this.current?.synced === true;
  }

  /** Resolves once a sandbox exists (reads may run on the image while it syncs). */
  whenExists(signal: AbortSignal): Promise<Readiness> {
    return this.waitFor(() => this.current !== null, signal);
  }

  /** Resolves once the workspace is synced (writes may run). */
  whenSynced(signal: AbortSignal): Promise<Readiness> {
    return this.waitFor(() => this.current?.synced === true, signal);
  }

  private async waitFor(done: () => boolean, signal: AbortSignal): Promise<Readiness> {
    for (;;) {
      if (done() && this.confirmed) return { ok: true, sandboxId: this.current!.sandboxId };
      if (signal.aborted) return { ok: false, reason: "stopped" };
      if (!this.inFlight) {
        if (this.failure !== null) return { ok: false, reason: this.failure };
        void this.ensure();
      }
      await new Promise<void>((resolve) => {
        const wake = () => {
          this.waiters.delete(wake);
          signal.removeEventListener("abort", wake);
          resolve();
        };
        this.waiters.add(wake);
        signal.addEventListener("abort", wake, { once: true });
      });
    }
  }

  /** Records what is known now and wakes everyone waiting on it. */
  private know(
    current: { sandboxId: string; synced: boolean } | null,
    failure: string | null = null,
  ): void {
    this.current = current;
    this.failure = failure;
    this.confirmed = true;
    for (const wake of [...this.waiters]) wake();
  }

  /** Snapshots the workspace at the end of a turn, so a follow-up restores from it. */
  async turnEnded(): Promise<void> {
    const action = decide(await this.state(), { kind: "turn-ended" });
    if (action.kind === "snapshot") await this.snapshot(action.sandboxId);
  }

  /** The idle deadline came round: put an idle sandbox to sleep. */
  async idleCheck(): Promise<void> {
    const provider = this.deps.provider;
    const action = decide(await this.state(), { kind: "tick", now: this.room.now() });
    if (action.kind !== "snapshot-and-stop" || !provider) return this.scheduleIdleCheck();
    await this.snapshot(action.sandboxId);
    await provider.destroySandbox(action.sandboxId).catch(() => {});
    this.know(null);
    const row = this.room.store.saveSandbox({ sandboxId: null, status: null });
    this.report("stopped", { sandboxId: null, imageId: row.imageId });
  }

  private async prepare(): Promise<void> {
    const provider = this.deps.provider;
    const repo = this.room.store.meta()?.repo;
    if (!provider || !repo) {
      return this.know(null, "no sandbox provider is configured (set SANDBOX_HOST_URL).");
    }
    const repository = await this.deps.repository(repo);
    if (!repository) {
      return this.know(
        null,
        `the repository ${repo} is not registered with Tandem, so it has no image to start a sandbox from.`,
      );
    }
    // A sandbox the host no longer knows (the host restarted) is lost; it is replaced below, from
    // what the host rescued of it when there is such a thing.
    let row = this.room.store.sandbox();
    if (row.sandboxId && row.status === "running" && !(await provider.getSandbox(row.sandboxId))) {
      row = this.room.store.saveSandbox({ status: "lost" });
      this.know(null);
    }
    const rescue =
      row.sandboxId && row.status === "lost" ? await provider.rescued(row.sandboxId) : null;
    const pool = this.deps.pool(repo);
    const status = await pool.status();
    const state = { ...(await this.state(status)), rescue };
    await this.act(decide(state, { kind: "prompt" }), repository, pool);
  }

  private async act(
    action: LifecycleAction,
    repository: RepositoryInfo,
    pool: ReturnType<SessionSandboxDeps["pool"]>,
  ): Promise<void> {
    const provider = this.deps.provider!;
    const store = this.room.store;
    switch (action.kind) {
      case "none":
      case "snapshot":
      case "snapshot-and-stop":
        return;
      case "reuse": {
        const row = store.saveSandbox({ lastActivityAt: this.room.now() });
        return this.know({ sandboxId: action.sandboxId, synced: row.commit !== null });
      }
      case "wait":
        this.report("waiting", { detail: action.reason });
        return this.know(null, action.reason);
      case "fail":
        this.report("failed", { detail: action.reason });
        return this.know(null, action.reason);
      case "restore": {
        this.report("restoring", { imageId: action.imageId, detail: action.announce });
        const sandbox = await provider.createSandbox({ from: { snapshotId: action.snapshotId } });
        // What the sandbox was restored from is now the session's newest saved state.
        store.saveSandbox({
          sandboxId: sandbox.id,
          imageId: sandbox.imageId,
          status: "running",
          lastSnapshotId: action.snapshotId,
          lastSnapshotImageId: action.imageId,
          lastSnapshotAt: action.takenAt,
          lastActivityAt: this.room.now(),
        });
        this.know({ sandboxId: sandbox.id, synced: true });
        this.report("ready", {
          sandboxId: sandbox.id,
          imageId: sandbox.imageId,
          commit: store.sandbox().commit,
        });
        this.announceReady(sandbox.id);
        return this.scheduleIdleCheck();
      }
      case "claim-warm":
      case "start": {
        this.report(action.kind === "claim-warm" ? "warming" : "starting", {
          imageId: action.imageId,
        });
        const claimed = action.kind === "claim-warm" ? await pool.claim() : null;
        const sandboxId =
          claimed ?? (await provider.createSandbox({ from: { imageId: action.imageId } })).id;
        store.saveSandbox({
          sandboxId,
          imageId: action.imageId,
          status: "running",
          commit: null,
          lastActivityAt: this.room.now(),
        });
        this.know({ sandboxId, synced: false });
        this.report("syncing", { sandboxId, imageId: action.imageId });
        const meta = store.meta()!;
        const credential = (await this.deps.credential?.(meta.repo)) ?? null;
        const synced = await provider.syncWorkspace(sandboxId, {
          cloneUrl: repository.cloneUrl,
          branch: repository.defaultBranch,
          workBranch: `tandem/${meta.id}`,
          ...(credential ? { credential } : {}),
        });
        store.saveSandbox({ commit: synced.commit });
        this.know({ sandboxId, synced: true });
        this.report("ready", { sandboxId, imageId: action.imageId, commit: synced.commit });
        this.announceReady(sandboxId);
        return this.scheduleIdleCheck();
      }
      default:
        action satisfies never;
    }
  }

  private announceReady(sandboxId: string): void {
    for (const listener of this.readyListeners) {
      this.room.deps.background(
        listener(sandboxId).catch((error: unknown) =>
          this.room.deps.log("sandbox.ready_listener.failed", { error: String(error) }),
        ),
      );
    }
  }

  private async snapshot(sandboxId: string): Promise<void> {
    const provider = this.deps.provider;
    if (!provider) return;
    const snapshot = await provider.snapshot(sandboxId);
    this.room.store.saveSandbox({
      lastSnapshotId: snapshot.id,
      lastSnapshotImageId: snapshot.imageId,
      lastSnapshotAt: snapshot.createdAt,
    });
  }

  /** The stored state in the lifecycle's terms, with what the pool reports when given. */
  private async state(pool?: PoolStatus): Promise<SandboxState> {
    return this.stateOf(this.room.store.sandbox(), pool);
  }

  private stateOf(row: SandboxStateRow, pool?: PoolStatus): SandboxState {
    const queue = this.room.store.queue();
    return {
      sandbox:
        row.sandboxId && row.imageId && row.status
          ? { id: row.sandboxId, imageId: row.imageId, status: row.status }
          : null,
      lastSnapshot:
        row.lastSnapshotId && row.lastSnapshotImageId
          ? {
              id: row.lastSnapshotId,
              imageId: row.lastSnapshotImageId,
              takenAt: row.lastSnapshotAt ?? 0,
            }
          : null,
      // Asked of the provider only when the sandbox is found lost (see prepare).
      rescue: null,
      // The registry keeps a snapshot's image while the snapshot refers to it.
      snapshotImageAvailable: true,
      newestImageId: pool?.currentImageId ?? null,
      warmAvailable: (pool?.warm ?? 0) > 0,
      turnRunning: queue.running !== null,
      lastActivityAt: row.lastActivityAt,
    };
  }

  /** Points the idle deadline at the sandbox's last activity plus the idle time. */
  private scheduleIdleCheck(): void {
    const store = this.room.store;
    const due = nextIdleCheck(this.stateOf(store.sandbox()));
    if (due === null) store.clearDeadline(SANDBOX_IDLE_DEADLINE);
    else store.setDeadline(SANDBOX_IDLE_DEADLINE, due);
    this.room.deps.setAlarm(store.earliestDeadline());
  }

  private report(
    status: SandboxStatus,
    fields: {
      sandboxId?: string | null;
      imageId?: string | null;
      commit?: string | null;
      detail?: string | null;
    },
  ): void {
    const row = this.room.store.sandbox();
    this.room.record({
      type: "sandbox.status",
      actor: null,
      data: {
        status,
        sandboxId: fields.sandboxId === undefined ? row.sandboxId : fields.sandboxId,
        imageId: fields.imageId === undefined ? row.imageId : fields.imageId,
        commit: fields.commit ?? null,
        detail: fields.detail ?? null,
      },
    });
  }
}
