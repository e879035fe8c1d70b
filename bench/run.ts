// Runs the benchmarks (all, or those named on the command line), starting a fresh local platform
// when one of them needs it, prints the table and writes bench/results/latest.json after a full run.
import { performance } from "node:perf_hooks";
import { setTimeout as sleep } from "node:timers/promises";
import { startLocalPlatform, type LocalPlatform } from "../scripts/local-platform.ts";
import { startModelStandIn, type ModelStandIn } from "../test/model-stand-in/server.ts";
import { agentBenchmark } from "./agent.ts";
import type { Benchmark, BenchContext, RunContext } from "./context.ts";
import { concurrentSessionsBenchmark } from "./concurrent-sessions.ts";
import { fanoutBenchmark } from "./fanout.ts";
import { fanoutLoadBenchmark } from "./fanout-load.ts";
import { replayBenchmark } from "./replay.ts";
import { retryOnReload } from "./reloads.ts";
import { formatTable, writeResults, type Metric } from "./report.ts";
import { sandboxBenchmark } from "./sandbox.ts";
import { warmPoolBenchmark } from "./warm-pool.ts";
import { webSizeBenchmark } from "./web-size.ts";

const RESULTS_PATH = "bench/results/latest.json";
/** Users besides the owner; each costs wrangler calls (a few seconds) to create. */
const GUEST_USERS = 2;
/** How long an interrupted benchmark may take to clean up (sandboxes, mounts) before the run exits anyway. */
const CLEANUP_GRACE_MS = 30_000;
const BENCHMARKS: readonly Benchmark[] = [
  fanoutBenchmark,
  fanoutLoadBenchmark,
  replayBenchmark,
  sandboxBenchmark,
  warmPoolBenchmark,
  agentBenchmark,
  concurrentSessionsBenchmark,
  webSizeBenchmark,
];

const log = (message: string) => process.stderr.write(`[bench] ${message}\n`);
const describe = (error: unknown) =>
  error instanceof Error ? (error.stack ?? error.message) : String(error);

let platform: LocalPlatform | null = null;
let model: ModelStandIn | null = null;
let stopping: Promise<void> | null = null;
/** The benchmark running now, so that an interruption can wait for its cleanup. */
let running: Promise<unknown> | null = null;
const interruption = new AbortController();

/** Stops the platform once, however many paths ask, and waits until its processes are gone. */
function stopPlatform(): Promise<void> {
  stopping ??= (async () => {
    await model?.stop();
    if (!platform) return;
    const startMs = performance.now();
    try {
      await platform.stop();
    } catch (error) {
      log(`stopping the platform: ${describe(error)}`);
    }
    log(`platform stopped in ${(performance.now() - startMs).toFixed(0)} ms`);
  })();
  return stopping;
}

// wrangler runs in its own process group, so Ctrl-C never reaches it: stop it here. Stopping it
// also fails the socket waits of a platform benchmark at once; a local benchmark sees the abort
// signal and cleans up, which the exit waits for (within CLEANUP_GRACE_MS).
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    if (interruption.signal.aborted) return;
    interruption.abort();
    log(`${signal}: stopping`);
    // Before the platform is up, main() stops it as soon as startLocalPlatform returns.
    if (!platform) return;
    void (async () => {
      await stopPlatform();
      await Promise.race([running?.catch(() => {}), sleep(CLEANUP_GRACE_MS)]);
      process.exit(130);
    })();
  });
}

/** The benchmarks named on the command line, or all of them; null (logged) on an unknown name. */
function selectBenchmarks(names: readonly string[]): readonly Benchmark[] | null {
  if (names.length === 0) return BENCHMARKS;
  const known = BENCHMARKS.map((benchmark) => benchmark.name);
  const unknown = names.filter((name) => !known.includes(name));
  if (unknown.length > 0) {
    log(`unknown benchmark ${unknown.join(", ")}; choose from ${known.join(", ")}`);
    return null;
  }
  return BENCHMARKS.filter((benchmark) => names.includes(benchmark.name));
}

/** Drops (and logs) the benchmarks that cannot run on this machine. */
async function runnable(benchmarks: readonly Benchmark[]): Promise<Benchmark[]> {
  const out: Benchmark[] = [];
  for (const benchmark of benchmarks) {
    const reason = (await benchmark.unavailable?.()) ?? null;
    if (reason) log(`${benchmark.name}: skipped: ${reason}`);
    else out.push(benchmark);
  }
  return out;
}

async function runOne(benchmark: Benchmark, context: BenchContext | RunContext): Promise<Metric[]> {
  if (!benchmark.needsPlatform) return benchmark.run(context);
  if (!("url" in context)) throw new Error("the platform is not running");
  return retryOnReload(context, benchmark.name, () => benchmark.run(context));
}

async function runAll(
  benchmarks: readonly Benchmark[],
  context: BenchContext | RunContext,
): Promise<{ metrics: Metric[]; failed: string[] }> {
  const metrics: Metric[] = [];
  const failed: string[] = [];
  for (const benchmark of benchmarks) {
    if (interruption.signal.aborted) break;
    const startMs = performance.now();
    log(`${benchmark.name}: running`);
    try {
      const pending = runOne(benchmark, context);
      running = pending;
      metrics.push(...(await pending));
      log(`${benchmark.name}: done in ${((performance.now() - startMs) / 1000).toFixed(1)} s`);
    } catch (error) {
      if (interruption.signal.aborted) break;
      failed.push(benchmark.name);
      log(`${benchmark.name}: FAILED: ${describe(error)}`);
    } finally {
      running = null;
    }
  }
  return { metrics, failed };
}

/** Starts the platform with its users and returns the context platform benchmarks need. */
async function platformContext(base: RunContext): Promise<BenchContext | null> {
  log("starting the model stand-in and wrangler dev");
  const standIn = await startModelStandIn({ seed: 1 });
  model = standIn;
  // A turn that never answers: the agent holds it, so prompts after it stay in the queue.
  standIn.setScript("hold", {
    responses: [
      { content: [{ type: "text", text: "held" }], faults: [{ kind: "hang", times: 1_000_000 }] },
    ],
  });
  platform = await startLocalPlatform({
    vars: {
      ANTHROPIC_BASE_URL: standIn.url,
      ANTHROPIC_API_KEY: "bench-model-key",
      TANDEM_AGENT_RETRY_BASE_MS: "10",
    },
  });
  if (interruption.signal.aborted) return null;
  log(`platform at ${platform.url}; creating ${1 + GUEST_USERS} users`);
  const ownerToken = await platform.createUser("bench-owner");
  const guestTokens: string[] = [];
  for (let i = 1; i <= GUEST_USERS; i++)
    guestTokens.push(await platform.createUser(`bench-guest-${i}`));
  return {
    ...base,
    url: platform.url,
    ownerToken,
    guestTokens,
    model: standIn,
    holdingPrompt: "hold the turn [script:hold]",
  };
}

async function main(): Promise<number> {
  const startMs = performance.now();
  const names = process.argv.slice(2);
  const selected = selectBenchmarks(names);
  if (!selected) return 2;
  const benchmarks = await runnable(selected);
  const base: RunContext = { signal: interruption.signal, log };
  let outcome: { metrics: Metric[]; failed: string[] };
  try {
    const context = benchmarks.some((benchmark) => benchmark.needsPlatform)
      ? await platformContext(base)
      : base;
    if (!context) return 130;
    outcome = await runAll(benchmarks, context);
  } finally {
    await stopPlatform();
  }
  if (interruption.signal.aborted) return 130;
  process.stdout.write(`\n${formatTable(outcome.metrics)}\n\n`);
  if (names.length === 0) {
    writeResults(RESULTS_PATH, outcome.metrics);
    log(`wrote ${RESULTS_PATH} in ${((performance.now() - startMs) / 1000).toFixed(1)} s total`);
  } else {
    log(`a run of ${names.join(", ")} only: ${RESULTS_PATH} left as it was`);
  }
  if (outcome.failed.length > 0) {
    log(`could not run: ${outcome.failed.join(", ")}`);
    return 1;
  }
  return 0;
}

main().then(
  (code) => process.exit(code),
  async (error: unknown) => {
    log(`bench aborted: ${describe(error)}`);
    await stopPlatform();
    process.exit(1);
  },
);
