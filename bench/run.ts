// Runs every benchmark against a fresh local platform, prints the table and writes bench/results/latest.json.
import { performance } from "node:perf_hooks";
import { startLocalPlatform, type LocalPlatform } from "../scripts/local-platform.ts";
import type { Benchmark, BenchContext } from "./context.ts";
import { fanoutBenchmark } from "./fanout.ts";
import { replayBenchmark } from "./replay.ts";
import { retryOnReload } from "./reloads.ts";
import { formatTable, writeResults, type Metric } from "./report.ts";

const RESULTS_PATH = "bench/results/latest.json";
/** Users besides the owner; each costs wrangler calls (a few seconds) to create. */
const GUEST_USERS = 2;
const BENCHMARKS: readonly Benchmark[] = [fanoutBenchmark, replayBenchmark];

const log = (message: string) => process.stderr.write(`[bench] ${message}\n`);
const describe = (error: unknown) =>
  error instanceof Error ? (error.stack ?? error.message) : String(error);

let platform: LocalPlatform | null = null;
let stopping: Promise<void> | null = null;
const interruption = new AbortController();

/** Stops the platform once, however many paths ask, and waits until its processes are gone. */
function stopPlatform(): Promise<void> {
  stopping ??= (async () => {
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

// wrangler runs in its own process group, so Ctrl-C never reaches it: stop it here.
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    if (interruption.signal.aborted) return;
    interruption.abort();
    log(`${signal}: stopping the platform`);
    // Before the platform is up, main() stops it as soon as startLocalPlatform returns.
    if (platform) void stopPlatform().finally(() => process.exit(130));
  });
}

async function runAll(context: BenchContext): Promise<{ metrics: Metric[]; failed: string[] }> {
  const metrics: Metric[] = [];
  const failed: string[] = [];
  for (const benchmark of BENCHMARKS) {
    if (interruption.signal.aborted) break;
    const startMs = performance.now();
    log(`${benchmark.name}: running`);
    try {
      metrics.push(...(await retryOnReload(context, benchmark.name, () => benchmark.run(context))));
      log(`${benchmark.name}: done in ${((performance.now() - startMs) / 1000).toFixed(1)} s`);
    } catch (error) {
      if (interruption.signal.aborted) break;
      failed.push(benchmark.name);
      log(`${benchmark.name}: FAILED: ${describe(error)}`);
    }
  }
  return { metrics, failed };
}

async function main(): Promise<number> {
  const startMs = performance.now();
  log("starting wrangler dev");
  platform = await startLocalPlatform();
  if (interruption.signal.aborted) {
    await stopPlatform();
    return 130;
  }
  let outcome: { metrics: Metric[]; failed: string[] };
  try {
    log(`platform at ${platform.url}; creating ${1 + GUEST_USERS} users`);
    const ownerToken = await platform.createUser("bench-owner");
    const guestTokens: string[] = [];
    for (let i = 1; i <= GUEST_USERS; i++)
      guestTokens.push(await platform.createUser(`bench-guest-${i}`));
    outcome = await runAll({
      url: platform.url,
      ownerToken,
      guestTokens,
      signal: interruption.signal,
      log,
    });
  } finally {
    await stopPlatform();
  }
  if (interruption.signal.aborted) return 130;
  writeResults(RESULTS_PATH, outcome.metrics);
  process.stdout.write(`\n${formatTable(outcome.metrics)}\n\n`);
  log(`wrote ${RESULTS_PATH} in ${((performance.now() - startMs) / 1000).toFixed(1)} s total`);
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
