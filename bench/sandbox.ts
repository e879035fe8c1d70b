// Sandbox benchmarks through the same client the control plane uses: cold start, restore from a
// snapshot, 20 concurrent starts, and the memory an idle sandbox costs.
import { performance } from "node:perf_hooks";
import { setTimeout as sleep } from "node:timers/promises";
import type { CreateSandboxRequest } from "../protocol/sandbox-host.ts";
import type { Benchmark, RunContext } from "./context.ts";
import type { Metric } from "./report.ts";
import {
  SESSION_CHANGED_FILES,
  checkSessionChanges,
  makeSessionChanges,
  repositoryFiles,
} from "./sandbox-fixture.ts";
import { sandboxBenchUnavailable, withSandboxHost, type SandboxBench } from "./sandbox-harness.ts";
import { measureSandboxMemory, type SandboxMemory } from "./sandbox-memory.ts";
import { median, percentile } from "./stats.ts";

const COLD_WARMUPS = 3;
const COLD_SAMPLES = 40;
const RESTORE_WARMUPS = 2;
const RESTORE_SAMPLES = 20;
const CONCURRENT = 20;
const CONCURRENT_ROUNDS = 3;
/** How long 20 started sandboxes sit idle before their memory is read. */
const IDLE_SETTLE_MS = 1_000;
const COLD_START_P50_TARGET_MS = 100;
const COLD_START_P99_TARGET_MS = 250;
const RESTORE_P50_TARGET_MS = 150;
const IDLE_MEMORY_TARGET_MIB = 10;
const MIB = 1024 * 1024;

/** One start, split where the client can see: createSandbox, then the first exec, of which
 * the command itself took `commandMs` by the agent's own clock. */
interface StartSample {
  sandboxId: string;
  totalMs: number;
  createMs: number;
  execMs: number;
  commandMs: number;
}

/** createSandbox → the result of a first `true`. */
async function startOnce(
  bench: SandboxBench,
  from: CreateSandboxRequest["from"],
): Promise<StartSample> {
  const startMs = performance.now();
  const sandbox = await bench.create(from);
  const createdMs = performance.now();
  const result = await bench.client.exec(sandbox.id, { argv: ["true"] });
  const doneMs = performance.now();
  if (result.exitCode !== 0) throw new Error(`\`true\` exited ${result.exitCode} in ${sandbox.id}`);
  return {
    sandboxId: sandbox.id,
    totalMs: doneMs - startMs,
    createMs: createdMs - startMs,
    execMs: doneMs - createdMs,
    commandMs: result.durationMs,
  };
}

/** Starts, measures and destroys one sandbox at a time; destroying is not timed. */
async function sequentialStarts(
  context: RunContext,
  bench: SandboxBench,
  from: CreateSandboxRequest["from"],
  counts: { warmups: number; samples: number },
  onWarmup?: (sandboxId: string) => Promise<void>,
): Promise<StartSample[]> {
  const samples: StartSample[] = [];
  for (let i = 0; i < counts.warmups + counts.samples; i++) {
    context.signal.throwIfAborted();
    const sample = await startOnce(bench, from);
    if (i < counts.warmups) await onWarmup?.(sample.sandboxId);
    else samples.push(sample);
    await bench.destroy(sample.sandboxId);
  }
  return samples;
}

const ms = (values: number[]) => `${median(values).toFixed(1)}`;

function logBreakdown(context: RunContext, what: string, samples: StartSample[]): void {
  const total = samples.map((s) => s.totalMs);
  context.log(
    `sandbox: ${what}: p50 ${percentile(total, 50).toFixed(1)} ms, p99 ${percentile(total, 99).toFixed(1)} ms, max ${Math.max(...total).toFixed(1)} ms; ` +
      `medians: createSandbox ${ms(samples.map((s) => s.createMs))} ms, first exec ${ms(samples.map((s) => s.execMs))} ms ` +
      `(command ${ms(samples.map((s) => s.commandMs))} ms by the agent's clock)`,
  );
}

async function coldStart(context: RunContext, bench: SandboxBench): Promise<Metric[]> {
  const samples = await sequentialStarts(
    context,
    bench,
    { imageId: bench.image.id },
    { warmups: COLD_WARMUPS, samples: COLD_SAMPLES },
  );
  logBreakdown(context, "cold start", samples);
  const total = samples.map((s) => s.totalMs);
  const n = total.length;
  return [
    {
      name: "sandbox_cold_start_p50_ms",
      unit: "ms",
      value: percentile(total, 50),
      n,
      target: { max: COLD_START_P50_TARGET_MS },
    },
    {
      name: "sandbox_cold_start_p99_ms",
      unit: "ms",
      value: percentile(total, 99),
      n,
      target: { max: COLD_START_P99_TARGET_MS },
    },
  ];
}

async function restore(context: RunContext, bench: SandboxBench): Promise<Metric[]> {
  const source = await bench.create({ imageId: bench.image.id });
  await makeSessionChanges(bench, source.id);
  const snapshot = await bench.client.snapshot(source.id);
  await bench.destroy(source.id);
  context.log(
    `sandbox: snapshot of ${SESSION_CHANGED_FILES} changed files is ${(snapshot.sizeBytes / 1024).toFixed(0)} KiB compressed`,
  );
  const samples = await sequentialStarts(
    context,
    bench,
    { snapshotId: snapshot.id },
    { warmups: RESTORE_WARMUPS, samples: RESTORE_SAMPLES },
    (sandboxId) => checkSessionChanges(bench, sandboxId),
  );
  logBreakdown(context, "restore", samples);
  const total = samples.map((s) => s.totalMs);
  return [
    {
      name: "sandbox_restore_p50_ms",
      unit: "ms",
      value: percentile(total, 50),
      n: total.length,
      target: { max: RESTORE_P50_TARGET_MS },
    },
  ];
}

/** Starts 20 at once; returns the wall time to the last first-exec result and each sandbox's idle memory. */
async function concurrentRound(
  bench: SandboxBench,
): Promise<{ wallMs: number; memory: SandboxMemory[] }> {
  const startMs = performance.now();
  const started = await Promise.allSettled(
    Array.from({ length: CONCURRENT }, () => startOnce(bench, { imageId: bench.image.id })),
  );
  const wallMs = performance.now() - startMs;
  const failure = started.find((outcome) => outcome.status === "rejected");
  // The harness destroys the ones that did start.
  if (failure) throw failure.reason;
  const ids = started.flatMap((outcome) =>
    outcome.status === "fulfilled" ? [outcome.value.sandboxId] : [],
  );
  await sleep(IDLE_SETTLE_MS);
  const memory: SandboxMemory[] = [];
  for (const id of ids) memory.push(await measureSandboxMemory(id));
  await Promise.all(ids.map((id) => bench.destroy(id)));
  return { wallMs, memory };
}

async function concurrent(context: RunContext, bench: SandboxBench): Promise<Metric[]> {
  const wallMs: number[] = [];
  const memory: SandboxMemory[] = [];
  for (let round = 0; round < CONCURRENT_ROUNDS; round++) {
    context.signal.throwIfAborted();
    const outcome = await concurrentRound(bench);
    wallMs.push(outcome.wallMs);
    memory.push(...outcome.memory);
  }
  const mib = (pick: (m: SandboxMemory) => number | null) => {
    const values = memory.map(pick).filter((v): v is number => v !== null);
    return values.length > 0 ? `${(median(values) / MIB).toFixed(2)} MiB` : "n/a";
  };
  const processes = median(memory.map((m) => m.pids.length));
  const disagreeing = memory.reduce((sum, m) => sum + m.disagreeing.length, 0);
  context.log(
    `sandbox: ${CONCURRENT} at once: ${wallMs.map((v) => v.toFixed(0)).join(", ")} ms; idle per sandbox (median of ${memory.length}, ${processes} processes): ` +
      `PSS ${mib((m) => m.pssBytes)} (anonymous ${mib((m) => m.pssAnonBytes)}), RSS ${mib((m) => m.rssBytes)}, cgroup charge ${mib((m) => m.cgroupBytes)}` +
      (disagreeing > 0
        ? `; ${disagreeing} pids were in only one of cgroup.procs and the process tree`
        : ""),
  );
  return [
    { name: "sandbox_start_20_concurrent_ms", unit: "ms", value: median(wallMs), n: wallMs.length },
    {
      name: "sandbox_idle_rss_mib",
      unit: "MiB",
      value: median(memory.map((m) => m.pssBytes)) / MIB,
      n: memory.length,
      target: { max: IDLE_MEMORY_TARGET_MIB },
    },
  ];
}

async function measure(context: RunContext): Promise<Metric[]> {
  return withSandboxHost(repositoryFiles(), context.log, async (bench) => {
    context.log(
      `sandbox: image ${bench.image.id} built (${(bench.image.sizeBytes / 1024).toFixed(0)} KiB)`,
    );
    const metrics = [...(await coldStart(context, bench))];
    metrics.push(...(await restore(context, bench)));
    metrics.push(...(await concurrent(context, bench)));
    return metrics;
  });
}

/** Sandbox start, restore, concurrency and idle memory on a real host in this process; skipped without root or bwrap. */
export const sandboxBenchmark: Benchmark = {
  name: "sandbox",
  needsPlatform: false,
  unavailable: sandboxBenchUnavailable,
  run: measure,
};
