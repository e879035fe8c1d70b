// Fan-out and replay under load: one session's agent streams text blocks at 1,000 timeline events
// per second while 100 subscribed sockets time each event's way to them, and late joiners replay
// the growing backlog.
import { writeFileSync } from "node:fs";
import { performance } from "node:perf_hooks";
import { setTimeout as sleep } from "node:timers/promises";
import { startLocalPlatform, type LocalPlatform } from "../scripts/local-platform.ts";
import { addCollaborators, createSession } from "./api-client.ts";
import type { Benchmark, RunContext } from "./context.ts";
import { parseBlock, startPacedModel, type PacedModel } from "./paced-model.ts";
import { heaviestFunctions, startCpuProfile } from "./cpu-profile.ts";
import { describeCpu, machineCpu, processCpu, wranglerCpu } from "./process-cpu.ts";
import type { Metric } from "./report.ts";
import { median, percentile } from "./stats.ts";
import { openSessionSocket, replayFromStart, type SessionSocket } from "./ws-client.ts";

const CLIENTS = 100;
const GUESTS = 2;
const EVENTS_PER_SECOND = 1_000;
const BLOCKS = 10_000;
/** Blocks before this one warm the pipe and are not sampled. */
const WARMUP_BLOCKS = 1_000;
/** When late joiners subscribe, as fractions of the stream's planned length. */
const JOIN_AT = [0.3, 0.55, 0.8] as const;
const CONNECT_CONCURRENCY = 10;
const STEP_TIMEOUT_MS = 30_000;
/** How long the last block may take to reach every socket after it was written. */
const DRAIN_TIMEOUT_MS = 120_000;
const MARKER = "[paced:fanout-1k]";
const P99_TARGET_MS = 50;

const ms = (value: number) => `${value.toFixed(1)} ms`;

/** Latencies of sampled blocks at every socket, and the arrival of each block at the first socket. */
class Samples {
  latenciesMs: number[] = [];
  /** Per socket, how many blocks arrived. */
  readonly arrived = new Uint32Array(CLIENTS);
  /** Arrival (epoch ms) of each block at socket 0. */
  readonly firstSocketAt = new Float64Array(BLOCKS).fill(Number.NaN);
  /** Every message socket 0 received after subscribing (events, deltas, presence). */
  framesAtFirst = 0;
  /** Sockets the server closed, with the close code. */
  readonly closed: string[] = [];
  /** Any event that broke the seq order at any socket. */
  gaps = 0;
  private resolveAll: () => void = () => {};
  readonly all = new Promise<void>((resolve) => (this.resolveAll = resolve));
  private complete = 0;

  listen(socket: SessionSocket, index: number): void {
    let lastSeq = socket.hello.lastSeq;
    socket.onClose((error) => this.closed.push(`socket ${index}: ${error.message}`));
    socket.onMessage((message, atMs) => {
      if (index === 0) this.framesAtFirst++;
      if (message.type !== "events" || message.replay) return;
      const arrivedAt = performance.timeOrigin + atMs;
      for (const event of message.events) {
        if (event.seq !== lastSeq + 1) this.gaps++;
        lastSeq = event.seq;
        if (event.type !== "agent.text") continue;
        const stamp = parseBlock(event.data.text);
        if (!stamp) continue;
        if (stamp.block >= WARMUP_BLOCKS) this.latenciesMs.push(arrivedAt - stamp.writtenAt);
        if (index === 0) this.firstSocketAt[stamp.block] = arrivedAt;
        if (++this.arrived[index]! === BLOCKS && ++this.complete === CLIENTS) this.resolveAll();
      }
    });
  }
}

/** A late joiner's replay: how long it took, of how many events, and when it could begin. */
interface Replay {
  /** From opening the socket until `subscribed`: the whole wait for the backlog. */
  ms: number;
  /** From `subscribe` until `subscribed`: the replay itself. */
  replayMs: number;
  events: number;
  /** When the socket was opened (performance.now()). */
  openedAtMs: number;
  /** From opening the socket until its `hello`, when the subscribe was sent. */
  helloMs: number;
}

/** One late joiner: a fresh socket subscribes from cursor 0 while the stream runs. */
async function replayOnce(url: string, sessionId: string, token: string): Promise<Replay> {
  const openedAtMs = performance.now();
  // A room busy with the stream greets a new socket late: that wait is part of joining.
  const socket = await openSessionSocket(url, sessionId, token, DRAIN_TIMEOUT_MS);
  try {
    const { sentAtMs, subscribedAtMs, lastSeq } = await replayFromStart(socket, DRAIN_TIMEOUT_MS);
    return {
      ms: subscribedAtMs - openedAtMs,
      replayMs: subscribedAtMs - sentAtMs,
      events: lastSeq,
      openedAtMs,
      helloMs: sentAtMs - openedAtMs,
    };
  } finally {
    await socket.close();
  }
}

async function connectAll(url: string, sessionId: string, tokens: string[]) {
  const sockets: SessionSocket[] = [];
  for (let start = 0; start < CLIENTS; start += CONNECT_CONCURRENCY) {
    const batch = Array.from({ length: Math.min(CONNECT_CONCURRENCY, CLIENTS - start) }, (_, i) =>
      openSessionSocket(url, sessionId, tokens[(start + i) % tokens.length]!, STEP_TIMEOUT_MS),
    );
    sockets.push(...(await Promise.all(batch)));
  }
  const subscribed = sockets.map((s) => s.next("subscribed", () => true, STEP_TIMEOUT_MS));
  for (const socket of sockets) socket.send({ type: "subscribe", cursor: socket.hello.lastSeq });
  await Promise.all(subscribed);
  return sockets;
}

/** Timeline events per second at socket 0 over the sampled blocks. */
function achievedRate(samples: Samples): { eps: number; events: number } {
  const times = [...samples.firstSocketAt.subarray(WARMUP_BLOCKS)].filter((t) => !Number.isNaN(t));
  if (times.length < 2) return { eps: 0, events: times.length };
  const spanS =
    (times.reduce((a, b) => Math.max(a, b)) - times.reduce((a, b) => Math.min(a, b))) / 1000;
  return { eps: (times.length - 1) / spanS, events: times.length };
}

async function stream(
  context: RunContext,
  platform: LocalPlatform,
  model: PacedModel,
): Promise<Metric[]> {
  const owner = await platform.createUser("bench-load-owner");
  const guests: string[] = [];
  for (let i = 1; i <= GUESTS; i++) guests.push(await platform.createUser(`bench-load-${i}`));
  const sessionId = await createSession(platform.url, owner, "bench: fan-out at 1k events/s");
  await addCollaborators(platform.url, sessionId, owner, guests);
  const sockets = await connectAll(platform.url, sessionId, [owner, ...guests]);
  try {
    const samples = new Samples();
    sockets.forEach((socket, index) => samples.listen(socket, index));
    const port = new URL(platform.url).port;
    const profilePath = process.env.TANDEM_BENCH_CPU_PROFILE;
    const profiling = profilePath ? await startCpuProfile(platform.inspectorPort) : null;
    const before = { self: processCpu(), wrangler: wranglerCpu(port), machine: machineCpu() };
    const plannedMs = (BLOCKS / EVENTS_PER_SECOND) * 1000;
    const startMs = performance.now();
    sockets[0]!.send({ type: "prompt", clientId: "bench-load", text: `Stream. ${MARKER}` });

    // Each joiner starts on time, whether or not the one before it got in yet.
    const joining = JOIN_AT.map(async (fraction) => {
      await sleep(Math.max(0, startMs + fraction * plannedMs - performance.now()));
      return replayOnce(platform.url, sessionId, owner);
    });
    for (const joiner of joining) joiner.catch(() => {});
    const aborted = new Promise<never>((_, reject) =>
      context.signal.addEventListener("abort", () => reject(context.signal.reason), { once: true }),
    );
    aborted.catch(() => {});
    const writeMs = await Promise.race([model.done, aborted]);
    const replays = await Promise.race([Promise.all(joining), aborted]);
    const drained = await Promise.race([
      samples.all.then(() => true),
      sleep(DRAIN_TIMEOUT_MS).then(() => false),
      aborted,
    ]);
    const after = { self: processCpu(), wrangler: wranglerCpu(port), machine: machineCpu() };
    if (profiling && profilePath) {
      const profile = await profiling.stop();
      writeFileSync(profilePath, JSON.stringify(profile));
      context.log(`fanout-1k: CPU profile of the Worker in ${profilePath}:`);
      for (const line of heaviestFunctions(profile)) context.log(`  ${line}`);
    }
    if (!drained) {
      const counts = [...samples.arrived].sort((a, b) => a - b);
      throw new Error(
        `not every socket had all ${BLOCKS} blocks ${DRAIN_TIMEOUT_MS} ms after the last write: ` +
          `least ${counts[0]}, median ${counts[CLIENTS >> 1]}, most ${counts.at(-1)}; ` +
          `${samples.closed.length} sockets closed by the server (${samples.closed.slice(0, 3).join("; ")})`,
      );
    }
    if (samples.gaps > 0) throw new Error(`${samples.gaps} events arrived out of seq order`);

    const rate = achievedRate(samples);
    const busy = after.machine.busyS - before.machine.busyS;
    const total = after.machine.totalS - before.machine.totalS;
    context.log(
      `fanout-1k: ${BLOCKS} blocks written in ${writeMs.toFixed(0)} ms (planned ${plannedMs} ms), ` +
        `${rate.eps.toFixed(0)} events/s at the clients; latency p50 ${ms(percentile(samples.latenciesMs, 50))}, ` +
        `p99 ${ms(percentile(samples.latenciesMs, 99))}, max ${ms(samples.latenciesMs.reduce((a, b) => Math.max(a, b), 0))}; ` +
        `late joiners opened at ${replays.map((r) => ((r.openedAtMs - startMs) / 1000).toFixed(1)).join(", ")} s, ` +
        `had their hello after ${replays.map((r) => ms(r.helloMs)).join(", ")} and replayed ` +
        `${replays.map((r) => `${r.events} events in ${ms(r.replayMs)}`).join(", ")}`,
    );
    const workerdS = (after.wrangler.get("workerd") ?? 0) - (before.wrangler.get("workerd") ?? 0);
    // Every socket gets what socket 0 got (each block as an `agent.delta` and an `agent.text`).
    const frames = samples.framesAtFirst * CLIENTS;
    context.log(
      `fanout-1k: CPU: the machine ${busy.toFixed(1)} of ${total.toFixed(1)} s busy; wrangler dev tree ` +
        `${describeCpu(before.wrangler, after.wrangler)} (workerd ${((workerdS * 1000) / BLOCKS).toFixed(2)} ms ` +
        `per event, ${((workerdS * 1e6) / frames).toFixed(1)} µs per frame sent); bench process ` +
        `(${CLIENTS} clients, paced model) ${(after.self.ownS - before.self.ownS).toFixed(1)} s`,
    );
    const n = samples.latenciesMs.length;
    return [
      {
        name: "fanout_1k_eps_p50_ms",
        unit: "ms",
        value: percentile(samples.latenciesMs, 50),
        n,
      },
      {
        name: "fanout_1k_eps_p99_ms",
        unit: "ms",
        value: percentile(samples.latenciesMs, 99),
        n,
        target: { max: P99_TARGET_MS },
      },
      {
        name: "replay_1k_eps_ms",
        unit: "ms",
        value: median(replays.map((r) => r.ms)),
        n: replays.length,
      },
      { name: "fanout_achieved_eps", unit: "events/s", value: rate.eps, n: rate.events },
    ];
  } finally {
    await Promise.all(sockets.map((socket) => socket.close()));
  }
}

async function measure(context: RunContext): Promise<Metric[]> {
  const model = await startPacedModel({
    marker: MARKER,
    blocks: BLOCKS,
    blocksPerSecond: EVENTS_PER_SECOND,
  });
  let platform: LocalPlatform | null = null;
  try {
    context.log("fanout-1k: starting wrangler dev with the paced model server");
    platform = await startLocalPlatform({
      vars: {
        ANTHROPIC_BASE_URL: model.url,
        ANTHROPIC_API_KEY: "bench-model-key",
        TANDEM_AGENT_RETRY_BASE_MS: "10",
      },
    });
    context.signal.throwIfAborted();
    return await stream(context, platform, model);
  } finally {
    await platform?.stop();
    await model.stop();
  }
}

/** 100 sockets on one session whose agent streams 1,000 text blocks (timeline events) a second. */
export const fanoutLoadBenchmark: Benchmark = {
  name: "fanout-1k",
  // A platform of its own: the Worker learns its model server when it starts.
  needsPlatform: false,
  run: measure,
};
