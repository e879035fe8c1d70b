// Load: N sessions at once on this machine, each with its own subscribed socket, a real sandbox
// and a scripted multi-tool turn; counts the sessions that finish correctly and times the turns.
import { freemem } from "node:os";
import { performance } from "node:perf_hooks";
import { setTimeout as sleep } from "node:timers/promises";
import { startLocalPlatform, type LocalPlatform } from "../scripts/local-platform.ts";
import { startModelStandIn, type ModelStandIn } from "../test/model-stand-in/server.ts";
import { createSession, registerRepository, repositoryState, requestImage } from "./api-client.ts";
import { SessionRun, turnScript } from "./concurrent-session-run.ts";
import type { Benchmark, RunContext } from "./context.ts";
import { describeCpu, descendantsCpu, machineCpu, processCpu, wranglerCpu } from "./process-cpu.ts";
import type { Metric } from "./report.ts";
import { sandboxBenchUnavailable, withSandboxHost, type SandboxBench } from "./sandbox-harness.ts";
import { percentile } from "./stats.ts";
import { openSessionSocket } from "./ws-client.ts";

const DEFAULT_SESSIONS = 200;
/** The repository the sessions work in. `createSession` opens sessions on `bench/tandem`, so the
 * benchmark registers its test repository under that name on its own platform. */
const REPO = "bench/tandem";
const REPO_FILES = { "README.md": "# concurrent sessions\n" };
/** Sessions created (HTTP) and sockets opened at once while setting up. */
const SETUP_CONCURRENCY = 16;
const SETUP_STEP_TIMEOUT_MS = 30_000;
/** The image build through the control plane. */
const IMAGE_TIMEOUT_MS = 120_000;
/** How long all turns together may take: a base plus a share per session. */
const turnsTimeoutMs = (sessions: number) => 60_000 + 1_500 * sessions;
/** Whole runs repeated after wrangler dev dropped every socket (a reload after a source edit). */
const MAX_RELOAD_RETRIES = 2;
/** Failures of each kind printed in full; the rest are only counted. */
const DETAILED_FAILURES = 2;

const describe = (error: unknown) => (error instanceof Error ? error.message : String(error));
const ms = (value: number) => `${value.toFixed(0)} ms`;

/** `BENCH_CONCURRENT_SESSIONS`, or 200. */
function sessionCount(): number {
  const raw = process.env.BENCH_CONCURRENT_SESSIONS;
  if (raw === undefined || raw === "") return DEFAULT_SESSIONS;
  const count = Number(raw);
  if (!Number.isInteger(count) || count < 1) {
    throw new Error(`BENCH_CONCURRENT_SESSIONS must be a positive integer, not "${raw}"`);
  }
  return count;
}

/** The total of a per-name CPU reading. */
const sumCpu = (byName: Map<string, number>) => [...byName.values()].reduce((a, b) => a + b, 0);

/** Stops every sandbox on the host: after each run, and so a run after a reload starts on an empty host. */
async function destroyAll(bench: SandboxBench): Promise<void> {
  const sandboxes = await bench.client.listSandboxes();
  await inBatches(sandboxes, SETUP_CONCURRENCY, (sandbox) => bench.destroy(sandbox.id));
}

/** Runs `task` on every item, at most `limit` at a time. */
async function inBatches<T>(
  items: readonly T[],
  limit: number,
  task: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await task(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

/** Registers the repository (no warm pool: every session starts its own sandbox) and builds its image. */
async function prepareRepository(
  context: RunContext,
  bench: SandboxBench,
  url: string,
  token: string,
): Promise<void> {
  await registerRepository(url, token, { repo: REPO, cloneUrl: bench.repo.dir, warmPoolSize: 0 });
  const startMs = performance.now();
  const imageId = await requestImage(url, token, REPO, bench.repo.commits[0]!);
  for (;;) {
    context.signal.throwIfAborted();
    const { pool, images } = await repositoryState(url, token, REPO);
    const image = images.find((row) => row.id === imageId);
    if (image?.status === "failed") throw new Error(`image ${imageId} failed: ${image.error}`);
    if (pool.currentImageId === imageId) break;
    if (performance.now() - startMs > IMAGE_TIMEOUT_MS) {
      throw new Error(`image ${imageId} was not ready within ${IMAGE_TIMEOUT_MS} ms`);
    }
    await sleep(100);
  }
  context.log(`concurrent: image ${imageId} ready in ${ms(performance.now() - startMs)}`);
}

/** Creates every session and subscribes a socket to each from cursor 0. */
async function setUp(context: RunContext, url: string, token: string, runs: SessionRun[]) {
  const startMs = performance.now();
  await inBatches(runs, SETUP_CONCURRENCY, async (run) => {
    if (context.signal.aborted) return;
    try {
      run.sessionId = await createSession(url, token, `bench: concurrent ${run.index}`);
    } catch (error) {
      return run.fail("session not created", describe(error));
    }
    try {
      const socket = await openSessionSocket(url, run.sessionId, token, SETUP_STEP_TIMEOUT_MS);
      run.attach(socket);
      const subscribed = socket.next("subscribed", () => true, SETUP_STEP_TIMEOUT_MS);
      socket.send({ type: "subscribe", cursor: 0 });
      await subscribed;
    } catch (error) {
      run.fail("socket not subscribed", describe(error));
    }
  });
  context.signal.throwIfAborted();
  const ready = runs.filter((run) => !run.failure).length;
  context.log(
    `concurrent: ${ready}/${runs.length} sessions created and subscribed in ${ms(performance.now() - startMs)} ` +
      `(${SETUP_CONCURRENCY} at a time)`,
  );
}

/** Sends every prompt at once and waits for every `prompt.finished` (or the deadline). */
async function runTurns(context: RunContext, runs: SessionRun[]): Promise<number> {
  const live = runs.filter((run) => !run.failure && run.socket);
  const startMs = performance.now();
  for (const run of live) {
    run.sentAtMs = performance.now();
    run.socket!.send({
      type: "prompt",
      clientId: `bench-concurrent-${run.index}`,
      text: `Write, cat and read a note. [script:bench-concurrent-${run.index}]`,
    });
  }
  const timeoutMs = turnsTimeoutMs(runs.length);
  const aborted = new Promise<void>((resolve) =>
    context.signal.addEventListener("abort", () => resolve(), { once: true }),
  );
  let done = 0;
  const progress = setInterval(() => {
    context.log(
      `concurrent: ${done}/${live.length} turns finished after ${ms(performance.now() - startMs)}`,
    );
  }, 10_000);
  try {
    const all = Promise.all(live.map((run) => run.finished.then(() => done++)));
    await Promise.race([all, sleep(timeoutMs), aborted]);
  } finally {
    clearInterval(progress);
  }
  context.signal.throwIfAborted();
  const lastMs = Math.max(...live.map((run) => run.finishedAtMs).filter((t) => !Number.isNaN(t)));
  return (Number.isFinite(lastMs) ? lastMs : performance.now()) - startMs;
}

/** `12 failed: 10 timed out waiting for prompt.finished, 2 sandbox failed`, and a few in full. */
function summarizeFailures(context: RunContext, runs: readonly SessionRun[]): void {
  const failed = runs.filter((run) => run.failure);
  if (failed.length === 0) return context.log(`concurrent: all ${runs.length} sessions correct`);
  const byKind = new Map<string, number>();
  for (const run of failed) byKind.set(run.failure!.kind, (byKind.get(run.failure!.kind) ?? 0) + 1);
  const kinds = [...byKind].sort((a, b) => b[1] - a[1]).map(([kind, n]) => `${n} ${kind}`);
  context.log(`concurrent: ${failed.length} failed: ${kinds.join(", ")}`);
  // The first few of each kind in full.
  const shown = new Map<string, number>();
  for (const run of failed) {
    const count = shown.get(run.failure!.kind) ?? 0;
    if (count >= DETAILED_FAILURES) continue;
    shown.set(run.failure!.kind, count + 1);
    context.log(
      `concurrent:   ${run.failure!.kind}: session ${run.index} (${run.sessionId}): ${run.failure!.detail}`,
    );
  }
}

function spread(values: number[]): string {
  if (values.length === 0) return "-";
  return `p50 ${ms(percentile(values, 50))}, p99 ${ms(percentile(values, 99))}`;
}

function report(context: RunContext, runs: SessionRun[], wallMs: number): Metric[] {
  const ok = runs.filter((run) => !run.failure);
  const turnMs = ok.map((run) => run.finishedAtMs - run.sentAtMs);
  const at = (run: SessionRun, status: string) => run.sandboxAtMs.get(status) ?? Number.NaN;
  const stage = (from: (run: SessionRun) => number, to: (run: SessionRun) => number) =>
    spread(ok.map((run) => to(run) - from(run)).filter((t) => !Number.isNaN(t)));
  context.log(
    `concurrent: ${ok.length}/${runs.length} correct; turn ${spread(turnMs)}; ` +
      `prompt → sandbox starting ${stage(
        (r) => r.sentAtMs,
        (r) => at(r, "starting"),
      )}; ` +
      `starting → syncing (created) ${stage(
        (r) => at(r, "starting"),
        (r) => at(r, "syncing"),
      )}; ` +
      `syncing → ready ${stage(
        (r) => at(r, "syncing"),
        (r) => at(r, "ready"),
      )}; ` +
      `ready → prompt.finished ${stage(
        (r) => at(r, "ready"),
        (r) => r.finishedAtMs,
      )}; ` +
      `last turn finished ${ms(wallMs)} after the prompts`,
  );
  const n = runs.length;
  const metrics: Metric[] = [
    { name: "concurrent_sessions_ok", unit: "count", value: ok.length, n },
    { name: "concurrent_sessions_total", unit: "count", value: n, n },
    // The table knows only upper bounds: "every session correct" is at most 0 failed.
    {
      name: "concurrent_sessions_failed",
      unit: "count",
      value: n - ok.length,
      n,
      target: { max: 0 },
    },
    { name: "concurrent_wall_ms", unit: "ms", value: wallMs, n },
  ];
  if (turnMs.length > 0) {
    metrics.push(
      {
        name: "concurrent_turn_p50_ms",
        unit: "ms",
        value: percentile(turnMs, 50),
        n: turnMs.length,
      },
      {
        name: "concurrent_turn_p99_ms",
        unit: "ms",
        value: percentile(turnMs, 99),
        n: turnMs.length,
      },
    );
  }
  return metrics;
}

/** The whole run on a started platform: sessions, turns, checks, and what the machine did. */
async function runSessions(
  context: RunContext,
  platform: { url: string; token: string; port: string },
  standIn: ModelStandIn,
  bench: SandboxBench,
): Promise<{ metrics: Metric[]; reloaded: boolean }> {
  const runs = Array.from({ length: sessionCount() }, (_, index) => new SessionRun(index));
  for (const run of runs) standIn.setScript(`bench-concurrent-${run.index}`, turnScript(run.index));
  try {
    await setUp(context, platform.url, platform.token, runs);
    standIn.clearRequests();
    const freeBefore = freemem();
    const cpuBefore = {
      self: processCpu(),
      wrangler: wranglerCpu(platform.port),
      machine: machineCpu(),
      descendants: descendantsCpu(),
    };
    const wallMs = await runTurns(context, runs);
    const cpuAfter = {
      self: processCpu(),
      wrangler: wranglerCpu(platform.port),
      machine: machineCpu(),
      descendants: descendantsCpu(),
    };
    const sandboxes = (await bench.client.listSandboxes()).length;
    const freeAfter = freemem();
    for (const run of runs) run.check();

    const requests = standIn.requests();
    const retried = requests.filter((r) => (r.attempt ?? 1) > 1 || r.status !== 200).length;
    const s = (value: number) => `${value.toFixed(1)} s`;
    const machineBusy = cpuAfter.machine.busyS - cpuBefore.machine.busyS;
    const machineTotal = cpuAfter.machine.totalS - cpuBefore.machine.totalS;
    const wrangler = sumCpu(cpuAfter.wrangler) - sumCpu(cpuBefore.wrangler);
    const benchOwn = cpuAfter.self.ownS - cpuBefore.self.ownS;
    // The host's children (sandboxes, git, tar, zstd): those that exited and those still running.
    const children =
      cpuAfter.self.reapedChildrenS -
      cpuBefore.self.reapedChildrenS +
      (cpuAfter.descendants - cpuBefore.descendants);
    context.log(
      `concurrent: CPU during the turns: the machine ${s(machineBusy)} busy of ${s(machineTotal)} ` +
        `(${machineTotal > 0 ? ((100 * machineBusy) / machineTotal).toFixed(0) : "-"}%); wrangler dev ` +
        `${s(wrangler)} (${describeCpu(cpuBefore.wrangler, cpuAfter.wrangler)}); bench process (clients, ` +
        `model stand-in, sandbox host) ${s(benchOwn)}; sandboxes and host commands ${s(children)}; ` +
        `other processes on the machine ${s(machineBusy - wrangler - benchOwn - children)}`,
    );
    context.log(
      `concurrent: ${sandboxes} sandboxes alive on the host; free memory ${(freeBefore / 2 ** 30).toFixed(1)} → ` +
        `${(freeAfter / 2 ** 30).toFixed(1)} GiB; model requests ${requests.length}` +
        `${requests.length >= 1000 ? " (the log's last 1,000)" : ""}, ${retried} not answered on a first attempt`,
    );
    summarizeFailures(context, runs);
    const reloaded = runs.some((run) => run.failure?.kind === "socket closed");
    return { metrics: report(context, runs, wallMs), reloaded };
  } finally {
    await Promise.all(runs.map((run) => run.socket?.close()));
  }
}

/** One whole run on a fresh `wrangler dev`: user, repository and image, sessions, turns. */
async function onFreshPlatform(
  context: RunContext,
  bench: SandboxBench,
  standIn: ModelStandIn,
): Promise<{ metrics: Metric[]; reloaded: boolean }> {
  let platform: LocalPlatform | null = null;
  try {
    context.log("concurrent: starting wrangler dev with the sandbox host and the model stand-in");
    platform = await startLocalPlatform({
      vars: {
        SANDBOX_HOST_URL: bench.endpoint.url,
        SANDBOX_HOST_TOKEN: bench.endpoint.token,
        ANTHROPIC_BASE_URL: standIn.url,
        ANTHROPIC_API_KEY: "bench-model-key",
        TANDEM_AGENT_RETRY_BASE_MS: "10",
      },
    });
    context.signal.throwIfAborted();
    const token = await platform.createUser("bench-concurrent");
    await prepareRepository(context, bench, platform.url, token);
    const target = { url: platform.url, token, port: new URL(platform.url).port };
    return await runSessions(context, target, standIn, bench);
  } finally {
    // The platform stops first, so that no session starts a sandbox during teardown; the
    // sandboxes are destroyed after it.
    await platform?.stop().catch((error) => context.log(`concurrent: ${describe(error)}`));
    const left = await bench.client.listSandboxes().catch(() => []);
    context.log(`concurrent: platform stopped; destroying ${left.length} sandboxes`);
    await destroyAll(bench).catch((error) => context.log(`concurrent: ${describe(error)}`));
  }
}

async function measure(context: RunContext): Promise<Metric[]> {
  const standIn = await startModelStandIn({ seed: 1 });
  try {
    // withSandboxHost's cleanup destroys whatever is still left and removes the host.
    return await withSandboxHost(REPO_FILES, context.log, async (bench) => {
      for (let attempt = 0; ; attempt++) {
        const { metrics, reloaded } = await onFreshPlatform(context, bench, standIn);
        if (!reloaded || attempt >= MAX_RELOAD_RETRIES) return metrics;
        // After a reload the sessions resume their turns, so the run starts again on a new
        // platform rather than beside them.
        context.log(
          "concurrent: sockets closed by the server, most likely wrangler dev reloading after a " +
            "source edit; running again on a fresh platform",
        );
      }
    });
  } finally {
    await standIn.stop();
  }
}

/** N sessions (BENCH_CONCURRENT_SESSIONS, default 200) each running a multi-tool turn at once. */
export const concurrentSessionsBenchmark: Benchmark = {
  name: "concurrent-sessions",
  // A platform of its own: the Worker learns the sandbox host and the model server when it starts.
  needsPlatform: false,
  unavailable: sandboxBenchUnavailable,
  run: measure,
};
