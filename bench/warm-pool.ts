// The warm pool through the control plane: how long a repository's RepoPool Durable Object takes to
// hand out a ready sandbox (`claim()`), and how long until that sandbox answers its first exec.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { setTimeout as sleep } from "node:timers/promises";
import { startLocalPlatform, type LocalPlatform } from "../scripts/local-platform.ts";
import { registerRepository, repositoryState, requestImage } from "./api-client.ts";
import type { Benchmark, RunContext } from "./context.ts";
import { connectToPools, type PoolProxy, type PoolStub } from "./pool-proxy.ts";
import type { Metric } from "./report.ts";
import { repositoryFiles } from "./sandbox-fixture.ts";
import { sandboxBenchUnavailable, withSandboxHost, type SandboxBench } from "./sandbox-harness.ts";
import { median, percentile } from "./stats.ts";

const REPO = "bench/pool";
/** The registry's default pool size: one sandbox ready, refilled after each claim. */
const WARM_POOL_SIZE = 1;
const WARMUPS = 3;
const SAMPLES = 20;
/** Quiet time after the pool is full again, so that the refill's last writes are not timed. */
const SETTLE_MS = 100;
/** The image build through the control plane plus the pool's first fill. */
const READY_TIMEOUT_MS = 120_000;
const REFILL_TIMEOUT_MS = 30_000;
const POLL_MS = 25;
/** Claims that may fail (a wrangler reload resets the Durable Object) before the benchmark gives up. */
const MAX_LOST_CLAIMS = 3;
const WARM_CLAIM_P50_TARGET_MS = 20;

/** One claim: the claim RPC, the first exec on the claimed sandbox, and a no-op RPC before it. */
interface ClaimSample {
  /** `status()` on the same path just before the claim: the cost of getting there and back. */
  floorMs: number;
  claimMs: number;
  execMs: number;
  /** The exec's command by the agent's own clock. */
  commandMs: number;
}

const describe = (error: unknown) => (error instanceof Error ? error.message : String(error));

/**
 * Polls `ready` every POLL_MS until it returns true, or throws when it returns a string (a
 * failure no wait can fix); a thrown error (a wrangler reload) counts as not ready yet.
 */
async function waitUntil(
  signal: AbortSignal,
  what: string,
  timeoutMs: number,
  ready: () => Promise<boolean | string>,
): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  let lastError: unknown = null;
  while (performance.now() < deadline) {
    signal.throwIfAborted();
    let outcome: boolean | string = false;
    try {
      outcome = await ready();
      lastError = null;
    } catch (error) {
      lastError = error;
    }
    if (typeof outcome === "string") throw new Error(outcome);
    if (outcome) return;
    await sleep(POLL_MS);
  }
  const cause = lastError ? ` (last error: ${describe(lastError)})` : "";
  throw new Error(`${what} did not happen within ${timeoutMs} ms${cause}`);
}

/** Registers the repository, builds its image through the API, and waits for the first fill. */
async function preparePool(context: RunContext, bench: SandboxBench, platform: LocalPlatform) {
  const token = await platform.createUser("bench-pool");
  await registerRepository(platform.url, token, {
    repo: REPO,
    cloneUrl: bench.repo.dir,
    warmPoolSize: WARM_POOL_SIZE,
  });
  const startMs = performance.now();
  const imageId = await requestImage(platform.url, token, REPO, bench.repo.commits[0]!);
  await waitUntil(
    context.signal,
    `image ${imageId} and a full pool`,
    READY_TIMEOUT_MS,
    async () => {
      const { pool, images } = await repositoryState(platform.url, token, REPO);
      const image = images.find((row) => row.id === imageId);
      if (image?.status === "failed") return `image ${imageId} failed: ${image.error}`;
      return pool.currentImageId === imageId && pool.warm >= WARM_POOL_SIZE;
    },
  );
  context.log(
    `warm-pool: image ${imageId} built and ${WARM_POOL_SIZE} sandbox(es) warm in ${(performance.now() - startMs).toFixed(0)} ms`,
  );
}

async function claimOnce(bench: SandboxBench, pool: PoolStub): Promise<ClaimSample> {
  const floorStartMs = performance.now();
  await pool.status();
  const startMs = performance.now();
  const sandboxId = await pool.claim();
  const claimedMs = performance.now();
  if (!sandboxId) throw new Error("the pool was full but claim() returned null");
  bench.adopt(sandboxId);
  const result = await bench.client.exec(sandboxId, { argv: ["true"] });
  const doneMs = performance.now();
  if (result.exitCode !== 0) throw new Error(`\`true\` exited ${result.exitCode} in ${sandboxId}`);
  // Not timed; the pool is refilling meanwhile.
  await bench.destroy(sandboxId);
  return {
    floorMs: startMs - floorStartMs,
    claimMs: claimedMs - startMs,
    execMs: doneMs - claimedMs,
    commandMs: result.durationMs,
  };
}

/** Claims one sandbox at a time, each from a full pool. */
async function claims(
  context: RunContext,
  bench: SandboxBench,
  pool: PoolStub,
): Promise<ClaimSample[]> {
  const samples: ClaimSample[] = [];
  let lost = 0;
  while (samples.length < WARMUPS + SAMPLES) {
    await waitUntil(context.signal, "the pool's refill", REFILL_TIMEOUT_MS, async () => {
      const status = await pool.status();
      return status.building === null && status.warm >= WARM_POOL_SIZE;
    });
    await sleep(SETTLE_MS);
    context.signal.throwIfAborted();
    try {
      samples.push(await claimOnce(bench, pool));
    } catch (error) {
      if (context.signal.aborted || ++lost > MAX_LOST_CLAIMS) throw error;
      context.log(`warm-pool: a sample failed (${describe(error)}); waiting for a full pool again`);
    }
  }
  return samples.slice(WARMUPS);
}

function report(context: RunContext, samples: ClaimSample[]): Metric[] {
  const claim = samples.map((s) => s.claimMs);
  const total = samples.map((s) => s.claimMs + s.execMs);
  const ms = (values: number[]) => `${median(values).toFixed(1)} ms`;
  context.log(
    `warm-pool: claim p50 ${percentile(claim, 50).toFixed(1)} ms, p99 ${percentile(claim, 99).toFixed(1)} ms; ` +
      `status() on the same path (the transport) ${ms(samples.map((s) => s.floorMs))}; ` +
      `claim → first exec p50 ${percentile(total, 50).toFixed(1)} ms (exec ${ms(samples.map((s) => s.execMs))}, ` +
      `command ${ms(samples.map((s) => s.commandMs))} by the agent's clock)`,
  );
  return [
    {
      name: "sandbox_warm_claim_p50_ms",
      unit: "ms",
      value: percentile(claim, 50),
      n: claim.length,
      target: { max: WARM_CLAIM_P50_TARGET_MS },
    },
    {
      name: "sandbox_warm_claim_to_exec_p50_ms",
      unit: "ms",
      value: percentile(total, 50),
      n: total.length,
    },
  ];
}

async function measure(context: RunContext): Promise<Metric[]> {
  return withSandboxHost(repositoryFiles(), context.log, async (bench) => {
    // A private dev registry: another `wrangler dev` of this Worker must not answer our stubs.
    const devRegistryPath = await mkdtemp(join(tmpdir(), "tandem-bench-registry-"));
    let platform: LocalPlatform | null = null;
    let proxy: PoolProxy | null = null;
    try {
      context.log("warm-pool: starting wrangler dev with the sandbox host");
      const startMs = performance.now();
      platform = await startLocalPlatform({
        vars: { SANDBOX_HOST_URL: bench.endpoint.url, SANDBOX_HOST_TOKEN: bench.endpoint.token },
        devRegistryPath,
      });
      context.log(`warm-pool: wrangler dev up in ${(performance.now() - startMs).toFixed(0)} ms`);
      context.signal.throwIfAborted();
      await preparePool(context, bench, platform);
      proxy = await connectToPools(devRegistryPath);
      const claimsStartMs = performance.now();
      const samples = await claims(context, bench, proxy.pool(REPO));
      context.log(
        `warm-pool: ${WARMUPS + SAMPLES} claims, each from a refilled pool, in ${(performance.now() - claimsStartMs).toFixed(0)} ms`,
      );
      return report(context, samples);
    } finally {
      // The platform stops before the host, so that no refill starts a sandbox during teardown;
      // the host then destroys the pool's sandboxes with the rest.
      await proxy?.dispose().catch((error) => context.log(`warm-pool: proxy: ${describe(error)}`));
      await platform
        ?.stop()
        .catch((error) => context.log(`warm-pool: platform: ${describe(error)}`));
      await rm(devRegistryPath, { recursive: true, force: true });
    }
  });
}

/** Claiming a warm sandbox from a repository's pool through `wrangler dev`, and its first exec. */
export const warmPoolBenchmark: Benchmark = {
  name: "warm-pool",
  // It starts a platform of its own: the Worker must know the host's address when wrangler starts.
  needsPlatform: false,
  unavailable: sandboxBenchUnavailable,
  run: measure,
};
