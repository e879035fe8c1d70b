// One repository's images and ready sandboxes: builds under a lock with a streamed log, the
// current image, and the warm pool (claim, refill, drain when a new image lands).
import type { PoolStatus, BuildLogLine, BuildSocketMessage } from "../../protocol/registry.ts";
import { fail, ok, type Result } from "../../protocol/errors.ts";
import type { BuildImageRequest, Limits } from "../../protocol/sandbox-host.ts";
import type { SandboxProvider } from "../../sandbox/provider.ts";
import { SandboxError } from "../../sandbox/provider.ts";
import type { PoolStore } from "./pool-store.ts";

/** How a build is described to the pool. */
export interface BuildPlan {
  repo: string;
  imageId: string;
  commit: string;
  request: BuildImageRequest;
}

/** The registry calls the pool makes (the D1 side of builds, and the repository's settings). */
export interface PoolRegistry {
  buildFinished(
    imageId: string,
    result: { ok: true; sizeBytes: number } | { ok: false; error: string },
    at: number,
  ): Promise<void>;
  /** How many warm sandboxes the repository wants and their limits; null when it is not registered. */
  poolSettings(repo: string): Promise<{ warmPoolSize: number; limits: Limits | null } | null>;
}

/** Everything the pool needs from outside, built once by the Durable Object. */
export interface RepoPoolDeps {
  store: PoolStore;
  provider: SandboxProvider | null;
  registry: PoolRegistry;
  now: () => number;
  /** Keeps the object alive until background work ends. */
  background: (work: Promise<unknown>) => void;
  /** Sends a message to every socket watching builds. */
  broadcast: (message: BuildSocketMessage) => void;
  log: (message: string, fields?: Record<string, unknown>) => void;
}

export class RepoPool {
  private readonly deps: RepoPoolDeps;
  /** Whether this instance runs the build named in the state row (false after a restart). */
  private buildInFlight = false;
  private refilling: Promise<void> | null = null;

  constructor(deps: RepoPoolDeps) {
    this.deps = deps;
  }

  status(): PoolStatus {
    const state = this.deps.store.state();
    const current = state?.currentImageId ?? null;
    return {
      repo: state?.repo ?? null,
      currentImageId: current,
      building:
        state?.buildingImageId && state.buildingCommit && state.buildStartedAt
          ? {
              imageId: state.buildingImageId,
              commit: state.buildingCommit,
              startedAt: state.buildStartedAt,
            }
          : null,
      warm: current ? this.deps.store.warmCount(current) : 0,
    };
  }

  /** Starts a build unless one runs; the build continues in the background. */
  startBuild(plan: BuildPlan): Result<{ imageId: string }> {
    const { store, provider } = this.deps;
    if (!provider)
      return fail("unavailable", "No sandbox host is configured, so images cannot be built.");
    const state = store.ensure(plan.repo);
    if (state.buildingImageId) {
      return fail(
        "conflict",
        `A build of ${state.buildingCommit?.slice(0, 12)} is already running for ${plan.repo}.`,
      );
    }
    store.update({
      buildingImageId: plan.imageId,
      buildingCommit: plan.commit,
      buildStartedAt: this.deps.now(),
    });
    this.buildInFlight = true;
    this.deps.broadcast({ type: "status", status: this.status() });
    this.deps.background(this.runBuild(provider, plan));
    return ok({ imageId: plan.imageId });
  }

  /** A build left running by a restart can never finish: record it as failed. */
  async recover(): Promise<void> {
    const state = this.deps.store.state();
    if (!state?.buildingImageId || this.buildInFlight) return;
    const imageId = state.buildingImageId;
    this.deps.store.update({ buildingImageId: null, buildingCommit: null, buildStartedAt: null });
    await this.deps.registry.buildFinished(
      imageId,
      { ok: false, error: "The build was interrupted by a restart." },
      this.deps.now(),
    );
  }

  /** A ready sandbox on the current image, or null; the pool refills in the background. */
  claim(): string | null {
    const current = this.deps.store.state()?.currentImageId;
    if (!current) return null;
    const sandboxId = this.deps.store.takeWarm(current);
    this.deps.background(this.refill());
    return sandboxId;
  }

  /**
   * Someone started typing a prompt: make sure a sandbox is ready by the time they press enter,
   * even for a repository whose pool is normally empty.
   */
  prewarm(): Promise<void> {
    return this.refill(1);
  }

  /** Starts sandboxes until the pool holds its size (at least `atLeast`) on the current image. */
  refill(atLeast = 0): Promise<void> {
    // One refill at a time, or two would both see the pool short and overfill it.
    this.refilling ??= this.fill(atLeast).finally(() => (this.refilling = null));
    return this.refilling;
  }

  private async fill(atLeast: number): Promise<void> {
    const { store, provider } = this.deps;
    const state = store.state();
    const current = state?.currentImageId;
    if (!provider || !state || !current) return;
    const settings = await this.deps.registry.poolSettings(state.repo);
    const size = Math.max(settings?.warmPoolSize ?? 0, atLeast);
    const limits = settings?.limits ?? null;
    while (store.warmCount(current) < size && store.state()?.currentImageId === current) {
      try {
        const sandbox = await provider.createSandbox({
          from: { imageId: current },
          ...(limits ? { limits } : {}),
        });
        if (store.state()?.currentImageId === current)
          store.addWarm(sandbox.id, current, this.deps.now());
        else await provider.destroySandbox(sandbox.id).catch(() => {});
      } catch (error) {
        this.deps.log("pool.refill.failed", { error: String(error) });
        return;
      }
    }
  }

  /** The stored log of one build after a sequence number. */
  logOf(imageId: string, after = 0): BuildLogLine[] {
    return this.deps.store.logOf(imageId, after);
  }

  private async runBuild(provider: SandboxProvider, plan: BuildPlan): Promise<void> {
    const { store } = this.deps;
    let pending: BuildLogLine[] = [];
    const flush = () => {
      if (pending.length === 0) return;
      this.deps.broadcast({ type: "log", lines: pending });
      pending = [];
    };
    const timer = setInterval(flush, 100);
    let outcome: { ok: true; sizeBytes: number } | { ok: false; error: string };
    try {
      const image = await provider.buildImage(plan.request, (event) => {
        if (event.type !== "log") return;
        pending.push(
          store.appendLog({
            imageId: plan.imageId,
            step: event.step,
            stream: event.stream,
            text: event.text,
            at: this.deps.now(),
          }),
        );
      });
      outcome = { ok: true, sizeBytes: image.sizeBytes };
    } catch (error) {
      outcome = {
        ok: false,
        error:
          error instanceof SandboxError || error instanceof Error ? error.message : String(error),
      };
    } finally {
      clearInterval(timer);
      flush();
    }
    this.buildInFlight = false;
    // A failed build keeps the previous image current.
    store.update({
      buildingImageId: null,
      buildingCommit: null,
      buildStartedAt: null,
      ...(outcome.ok ? { currentImageId: plan.imageId } : {}),
    });
    await this.deps.registry
      .buildFinished(plan.imageId, outcome, this.deps.now())
      .catch((error: unknown) => {
        this.deps.log("pool.registry.failed", { error: String(error) });
      });
    this.deps.broadcast({
      type: "finished",
      imageId: plan.imageId,
      ok: outcome.ok,
      error: outcome.ok ? null : outcome.error,
    });
    this.deps.broadcast({ type: "status", status: this.status() });
    if (outcome.ok) {
      await this.drain(provider, plan.imageId);
      await this.refill();
    }
  }

  /** Destroys warm sandboxes on older images once a new image is current. */
  private async drain(provider: SandboxProvider, currentImageId: string): Promise<void> {
    for (const sandboxId of this.deps.store.takeStale(currentImageId)) {
      await provider
        .destroySandbox(sandboxId)
        .catch((error: unknown) =>
          this.deps.log("pool.drain.failed", { sandboxId, error: String(error) }),
        );
    }
  }
}
