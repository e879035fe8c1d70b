// Runs every benchmark against a fresh local platform, prints the table and writes bench/results/latest.json.
import { performance } from "node:perf_hooks";
import { startLocalPlatform, type LocalPlatform } from "../scripts/local-platform.ts";
import type { Benchmark, BenchContext } from "./context.ts";
import { fanoutBenchmark } from "./fanout.ts";
import { replayBenchmark } from "./replay.ts";
import { formatTable, writeResults, type Metric } from "./report.ts";

const RESULTS_PATH = "bench/results/latest.json";
/** Users besides the owner; each costs a wrangler call (≈1–2 s) to create. */
const GUEST_USERS = 3;
const BENCHMARKS: readonly Benchmark[] = [fanoutBenchmark, replayBenchmark];

const log = (message: string) => process.stderr.write(`[bench] ${message}\n`);

let platform: LocalPlatform | null = null;
let stopping: Promise<void> | null = null;
let interrupted = false;

/** Stops the platform once, however many paths ask. */
function stopPlatform(): Promise<void> {
  stopping ??= platform ? platform.stop() : Promise.resolve();
  return stopping;
}

// wrangler runs in its own process group, so Ctrl-C never reaches it: stop it here.
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    if (interrupted) return;
    interrupted = true;
    log(`${signal}: stopping the platform`);
    // Before the platform is up, main() stops it as soon as startLocalPlatform returns.
    if (platform) void stopPlatform().finally(() => process.exit(130));
  });
}

async function runAll(context: BenchContext): Promise<{ metrics: Metric[]; failed: string[] }> {
  const metrics: Metric[] = [];
  const failed: string[] = [];
  for (const benchmark of BENCHMARKS) {
    const startMs = performance.now();
    log(`${benchmark.name}: running`);
    try {
      metrics.push(...(await benchmark.run(context)));
      log(`${benchmark.name}: done in ${((performance.now() - startMs) / 1000).toFixed(1)} s`);
    } catch (error) {
      failed.push(benchmark.name);
      log(`${benchmark.name}: FAILED: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    }
  }
  return { metrics, failed };
}

async function main(): Promise<number> {
  const startMs = performance.now();
  log("starting wrangler dev");
  platform = await startLocalPlatform();
  if (interrupted) {
    await stopPlatform();
    return 130;
  }
  let outcome: { metrics: Metric[]; failed: string[] };
  try {
    log(`platform at ${platform.url}; creating ${1 + GUEST_USERS} users`);
    const ownerToken = await platform.createUser("bench-owner");
    const guestTokens: string[] = [];
    for (let i = 1; i <= GUEST_USERS; i++) guestTokens.push(await platform.createUser(`bench-guest-${i}`));
    outcome = await runAll({ url: platform.url, ownerToken, guestTokens, log });
  } finally {
    await stopPlatform();
  }
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
    log(`bench aborted: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    await stopPlatform();
    process.exit(1);
  },
);
