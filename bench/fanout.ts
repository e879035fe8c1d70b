// Fan-out latency: from one client's prompt to its `prompt.queued` event on each of 100 subscribed sockets.
import { performance } from "node:perf_hooks";
import { setTimeout as sleep } from "node:timers/promises";
import { addCollaborators, createSession } from "./api-client.ts";
import type { Benchmark, BenchContext } from "./context.ts";
import type { Metric } from "./report.ts";
import { percentile } from "./stats.ts";
import { openSessionSocket, type SessionSocket } from "./ws-client.ts";

const CLIENTS = 100;
const WARMUP_PROMPTS = 5;
const SAMPLES = 50;
const CONNECT_CONCURRENCY = 10;
const STEP_TIMEOUT_MS = 10_000;
/** Pause between samples so the previous cancel's queue frames have drained. */
const SAMPLE_GAP_MS = 20;
const P99_TARGET_MS = 50;

/** Counts one event's arrival at each receiving socket and resolves once every socket has it. */
class Arrivals {
  /** Arrival time per socket (NaN until it arrives). */
  readonly atMs: Float64Array;
  private count = 0;
  private resolveAll: () => void = () => {};
  readonly all: Promise<void>;

  constructor(sockets: number) {
    this.atMs = new Float64Array(sockets).fill(Number.NaN);
    this.all = new Promise((resolve) => (this.resolveAll = resolve));
  }

  /** Records socket `index`'s arrival; repeats are ignored. */
  arrive(index: number, atMs: number): void {
    if (!Number.isNaN(this.atMs[index]!)) return;
    this.atMs[index] = atMs;
    if (++this.count === this.atMs.length) this.resolveAll();
  }

  /** Waits for every socket, or throws naming how many arrived; `abort` rejecting ends the wait early. */
  async wait(what: string, abort: Promise<never>): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      const message = () =>
        `${what}: ${this.count}/${this.atMs.length} sockets within ${STEP_TIMEOUT_MS} ms`;
      timer = setTimeout(() => reject(new Error(message())), STEP_TIMEOUT_MS);
    });
    try {
      await Promise.race([this.all, timeout, abort]);
    } finally {
      clearTimeout(timer);
    }
  }
}

/** The prompt in flight: its ids and who has seen it queued and cancelled. */
interface InFlight {
  clientId: string;
  messageId: string | null;
  queued: Arrivals;
  cancelled: Arrivals;
}

async function connectAll(
  context: BenchContext,
  sessionId: string,
  tokens: readonly string[],
): Promise<SessionSocket[]> {
  const sockets: SessionSocket[] = [];
  for (let start = 0; start < CLIENTS; start += CONNECT_CONCURRENCY) {
    const batch = Array.from(
      { length: Math.min(CONNECT_CONCURRENCY, CLIENTS - start) },
      (_, offset) =>
        openSessionSocket(context.url, sessionId, tokens[(start + offset) % tokens.length]!),
    );
    sockets.push(...(await Promise.all(batch)));
  }
  return sockets;
}

async function subscribeAll(sockets: readonly SessionSocket[]): Promise<void> {
  const subscribed = sockets.map((socket) =>
    socket.next("subscribed", () => true, STEP_TIMEOUT_MS),
  );
  for (const socket of sockets) socket.send({ type: "subscribe", cursor: socket.hello.lastSeq });
  await Promise.all(subscribed);
}

async function measure(context: BenchContext): Promise<Metric[]> {
  const sessionId = await createSession(
    context.url,
    context.ownerToken,
    "bench: fan-out",
    context.holdingPrompt,
  );
  await addCollaborators(context.url, sessionId, context.ownerToken, context.guestTokens);
  const tokens = [context.ownerToken, ...context.guestTokens];
  const sockets: SessionSocket[] = [];
  try {
    const connectStartMs = performance.now();
    sockets.push(...(await connectAll(context, sessionId, tokens)));
    await subscribeAll(sockets);
    context.log(
      `fanout: ${CLIENTS} sockets of ${tokens.length} users subscribed in ${(performance.now() - connectStartMs).toFixed(0)} ms`,
    );
    const sender = await openSessionSocket(context.url, sessionId, context.ownerToken);
    sockets.push(sender);
    const closedEarly = new Promise<never>((_, reject) => {
      for (const socket of sockets) socket.onClose(reject);
    });
    closedEarly.catch(() => {});

    let current: InFlight | null = null;
    sockets.slice(0, CLIENTS).forEach((socket, index) =>
      socket.onMessage((message, atMs) => {
        if (!current || message.type !== "events" || message.replay) return;
        for (const event of message.events) {
          if (event.type === "prompt.queued" && event.data.prompt.clientId === current.clientId) {
            current.queued.arrive(index, atMs);
          } else if (
            event.type === "prompt.cancelled" &&
            event.data.messageId === current.messageId
          ) {
            current.cancelled.arrive(index, atMs);
          }
        }
      }),
    );

    const latenciesMs: number[] = [];
    for (let i = 0; i < WARMUP_PROMPTS + SAMPLES; i++) {
      const prompt: InFlight = {
        clientId: `bench-fanout-${i}`,
        messageId: null,
        queued: new Arrivals(CLIENTS),
        cancelled: new Arrivals(CLIENTS),
      };
      current = prompt;
      const accepted = sender.next(
        "prompt.accepted",
        (m) => m.clientId === prompt.clientId,
        STEP_TIMEOUT_MS,
      );
      const sentAtMs = performance.now();
      sender.send({ type: "prompt", clientId: prompt.clientId, text: `fan-out sample ${i}` });
      prompt.messageId = (await accepted).messageId;
      await prompt.queued.wait(`prompt.queued of sample ${i}`, closedEarly);
      sender.send({ type: "prompt.cancel", messageId: prompt.messageId });
      await prompt.cancelled.wait(`prompt.cancelled of sample ${i}`, closedEarly);
      if (i >= WARMUP_PROMPTS) {
        for (const atMs of prompt.queued.atMs) latenciesMs.push(atMs - sentAtMs);
      }
      current = null;
      await sleep(SAMPLE_GAP_MS);
    }

    const n = latenciesMs.length;
    return [
      { name: "fanout_p50_ms_100_clients", unit: "ms", value: percentile(latenciesMs, 50), n },
      {
        name: "fanout_p99_ms_100_clients",
        unit: "ms",
        value: percentile(latenciesMs, 99),
        n,
        target: { max: P99_TARGET_MS },
      },
    ];
  } finally {
    await Promise.all(sockets.map((socket) => socket.close()));
  }
}

/** 100 subscribed sockets over a few users; ~50 prompts sent one at a time, each cancelled once all have it. */
export const fanoutBenchmark: Benchmark = { name: "fanout", needsPlatform: true, run: measure };
