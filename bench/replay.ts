// History replay: time for a new socket to receive a 10,000-event timeline, from `subscribe` to `subscribed`.
import { performance } from "node:perf_hooks";
import { createSession } from "./api-client.ts";
import type { Benchmark, BenchContext } from "./context.ts";
import type { Metric } from "./report.ts";
import { retryOnReload } from "./reloads.ts";
import { median } from "./stats.ts";
import { openSessionSocket, replayFromStart, type SessionSocket } from "./ws-client.ts";

const MIN_EVENTS = 10_000;
/**
 * Prompts queued but not yet cancelled. The room's CPU bounds the rate; a short pipeline hides the
 * round trip, a long one makes every queue read and queue broadcast larger (measured in wrangler dev:
 * 1 ≈ 18 ms per prompt+cancel pair, 4 ≈ 12–15 ms, 50 ≈ 31 ms).
 */
const IN_FLIGHT = 4;
const WARMUP_RUNS = 1;
const RUNS = 5;
/** Longest the history filler may go without a cancellation before it gives up. */
const STALL_TIMEOUT_MS = 10_000;
const TARGET_MS = 300;

/** Queues and cancels prompts over one subscribed socket until the timeline holds `minEvents` events. */
function fillHistory(socket: SessionSocket, fromSeq: number, minEvents: number): Promise<void> {
  const pairs = Math.ceil(Math.max(0, minEvents - fromSeq) / 2);
  if (pairs === 0) return Promise.resolve();
  return new Promise((resolve, reject) => {
    let sent = 0;
    let cancelled = 0;
    let timer: NodeJS.Timeout | undefined;
    const settle = (error?: Error) => {
      clearTimeout(timer);
      remove();
      removeClose();
      if (error) reject(error);
      else resolve();
    };
    const armStallTimer = () => {
      clearTimeout(timer);
      timer = setTimeout(
        () =>
          settle(new Error(`history filler stalled at ${cancelled}/${pairs} cancelled prompts`)),
        STALL_TIMEOUT_MS,
      );
    };
    // Client ids make prompts idempotent: a fill resumed after a reload must not reuse the earlier ones.
    const batch = `bench-replay-${fromSeq}`;
    const sendPrompt = () => {
      const i = sent++;
      socket.send({ type: "prompt", clientId: `${batch}-${i}`, text: `replay filler ${i}` });
    };
    const remove = socket.onMessage((message) => {
      if (message.type === "error") {
        return settle(new Error(`room error ${message.code}: ${message.message}`));
      }
      if (message.type === "prompt.accepted") {
        return socket.send({ type: "prompt.cancel", messageId: message.messageId });
      }
      if (message.type !== "events") return;
      for (const event of message.events) {
        if (event.type !== "prompt.cancelled") continue;
        cancelled++;
        armStallTimer();
        if (sent < pairs) sendPrompt();
        else if (cancelled === pairs) return settle();
      }
    });
    const removeClose = socket.onClose(settle);
    armStallTimer();
    for (let i = 0; i < Math.min(IN_FLIGHT, pairs); i++) sendPrompt();
  });
}

/** One replay from cursor 0 on a fresh socket; returns the elapsed time, checking nothing is missing. */
async function replayOnce(context: BenchContext, sessionId: string): Promise<number> {
  const socket = await openSessionSocket(context.url, sessionId, context.ownerToken);
  try {
    const { sentAtMs, subscribedAtMs, lastSeq } = await replayFromStart(socket, STALL_TIMEOUT_MS);
    if (lastSeq < MIN_EVENTS) {
      throw new Error(`replay delivered ${lastSeq} events; expected ≥ ${MIN_EVENTS}`);
    }
    return subscribedAtMs - sentAtMs;
  } finally {
    await socket.close();
  }
}

/** Fills the session from wherever its timeline stands, so a retry after a reload resumes the fill. */
async function fillSession(context: BenchContext, sessionId: string): Promise<number> {
  const filler = await openSessionSocket(context.url, sessionId, context.ownerToken);
  try {
    const subscribed = filler.next("subscribed");
    filler.send({ type: "subscribe", cursor: filler.hello.lastSeq });
    await subscribed;
    await fillHistory(filler, filler.hello.lastSeq, MIN_EVENTS);
  } finally {
    await filler.close();
  }
  // A fresh socket's hello states what the room itself counts.
  const check = await openSessionSocket(context.url, sessionId, context.ownerToken);
  await check.close();
  if (check.hello.lastSeq < MIN_EVENTS) {
    throw new Error(`the session holds ${check.hello.lastSeq} events; expected ≥ ${MIN_EVENTS}`);
  }
  return check.hello.lastSeq;
}

async function measure(context: BenchContext): Promise<Metric[]> {
  const sessionId = await createSession(
    context.url,
    context.ownerToken,
    "bench: history replay",
    context.holdingPrompt,
  );
  const fillStartMs = performance.now();
  const events = await retryOnReload(context, "replay fill", () => fillSession(context, sessionId));
  context.log(
    `replay: filled ${events} events in ${(performance.now() - fillStartMs).toFixed(0)} ms`,
  );

  const timesMs: number[] = [];
  for (let run = 0; run < WARMUP_RUNS + RUNS; run++) {
    const elapsedMs = await retryOnReload(context, `replay run ${run}`, () =>
      replayOnce(context, sessionId),
    );
    if (run >= WARMUP_RUNS) timesMs.push(elapsedMs);
  }
  context.log(`replay: ${events} events, runs ${timesMs.map((ms) => ms.toFixed(1)).join(", ")} ms`);
  return [
    {
      name: "history_replay_ms_10k_events",
      unit: "ms",
      value: median(timesMs),
      n: timesMs.length,
      target: { max: TARGET_MS },
    },
  ];
}

/** A session filled with 10,000+ events by queue-and-cancel, replayed from cursor 0 on fresh sockets. */
export const replayBenchmark: Benchmark = { name: "replay", needsPlatform: true, run: measure };
