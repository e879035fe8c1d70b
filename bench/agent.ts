// The agent's two hops through the platform: a client's prompt until the model server has the
// request, and the model's first text token until a client has it as `agent.delta`.
import { performance } from "node:perf_hooks";
import type { ModelStandIn } from "../test/model-stand-in/server.ts";
import type { RecordedRequest } from "../test/model-stand-in/recorder.ts";
import { createSession } from "./api-client.ts";
import type { Benchmark, BenchContext, RunContext } from "./context.ts";
import { retryOnReload } from "./reloads.ts";
import type { Metric } from "./report.ts";
import { median, percentile } from "./stats.ts";
import { openSessionSocket } from "./ws-client.ts";

const SCRIPT = "bench-agent";
const WARMUPS = 5;
const SAMPLES = 60;
/** The longest any one step of a sample (socket, subscription, turn) may take. */
const STEP_TIMEOUT_MS = 10_000;
const P50_TARGET_MS = 15;
const P99_TARGET_MS = 50;

/** One text-only turn; no pacing, so the first token follows the headers at once. */
const ANSWER = { responses: [{ content: [{ type: "text" as const, text: "Done." }] }] };

/** One sample's timestamps, all in ms since the epoch on this process's clock. */
interface TurnSample {
  sentAt: number;
  /** `prompt.accepted` back at the client: a round trip to the session object. */
  acceptedAt: number;
  request: RecordedRequest;
  firstTokenAt: number;
  deltaAt: number;
}

/** Epoch ms with sub-ms precision, the clock the stand-in stamps its requests with. */
const preciseNow = () => performance.timeOrigin + performance.now();

/** A promise that rejects when the run is interrupted, so a wait on the platform ends at once. */
function whenAborted(signal: AbortSignal): Promise<never> {
  const aborted = new Promise<never>((_, reject) => {
    if (signal.aborted) reject(signal.reason);
    signal.addEventListener("abort", () => reject(signal.reason), { once: true });
  });
  aborted.catch(() => {});
  return aborted;
}

/** A fresh session, a subscribed socket, one prompt and its whole turn. */
async function turnOnce(
  url: string,
  token: string,
  standIn: ModelStandIn,
  index: number,
): Promise<TurnSample> {
  const sessionId = await createSession(url, token, `bench: agent ${index}`);
  const socket = await openSessionSocket(url, sessionId, token, STEP_TIMEOUT_MS);
  try {
    const subscribed = socket.next("subscribed", () => true, STEP_TIMEOUT_MS);
    socket.send({ type: "subscribe", cursor: 0 });
    await subscribed;
    // Setting the script again restarts its attempt count: a second attempt below is a retry.
    standIn.setScript(SCRIPT, ANSWER);
    standIn.clearRequests();

    const clientId = `bench-agent-${index}`;
    let acceptedAt = Number.NaN;
    let deltaAt = Number.NaN;
    socket.onMessage((message, arrivedAtMs) => {
      if (message.type === "prompt.accepted" && message.clientId === clientId) {
        acceptedAt = performance.timeOrigin + arrivedAtMs;
      } else if (message.type === "agent.delta" && Number.isNaN(deltaAt)) {
        deltaAt = performance.timeOrigin + arrivedAtMs;
      }
    });
    const finished = socket.next(
      "events",
      (message) => message.events.some((event) => event.type === "prompt.finished"),
      STEP_TIMEOUT_MS,
    );
    const sentAt = preciseNow();
    socket.send({ type: "prompt", clientId, text: `Say done. [script:${SCRIPT}]` });
    const outcome = (await finished).events.find((event) => event.type === "prompt.finished")!;
    if (outcome.data.state !== "done") {
      throw new Error(`turn ${index} ended ${outcome.data.state}: ${outcome.data.reason ?? "-"}`);
    }

    const requests = standIn.requests(SCRIPT);
    const request = requests[0];
    if (requests.length !== 1 || !request || request.attempt !== 1 || request.status !== 200) {
      const seen = requests.map((r) => `attempt ${r.attempt} status ${r.status}`).join(", ");
      throw new Error(`turn ${index}: expected one answered model request, got [${seen}]`);
    }
    if (request.firstTokenAt === null) throw new Error(`turn ${index}: no text token was sent`);
    if (Number.isNaN(deltaAt)) throw new Error(`turn ${index} finished without an agent.delta`);
    return { sentAt, acceptedAt, request, firstTokenAt: request.firstTokenAt, deltaAt };
  } finally {
    await socket.close();
  }
}

function report(context: RunContext, samples: readonly TurnSample[]): Metric[] {
  // An upper bound on the platform's share: it also holds the client → Worker → object hop and
  // the request's way from the object to the stand-in's listener.
  const toRequest = samples.map((s) => s.request.receivedAt - s.sentAt);
  const toClient = samples.map((s) => s.deltaAt - s.firstTokenAt);
  const accepted = samples.map((s) => s.acceptedAt - s.sentAt).filter((ms) => !Number.isNaN(ms));
  const ms = (value: number) => `${value.toFixed(1)} ms`;
  context.log(
    `agent: prompt → model request p50 ${ms(percentile(toRequest, 50))}, p99 ${ms(percentile(toRequest, 99))} ` +
      `(prompt → prompt.accepted round trip ${accepted.length ? ms(median(accepted)) : "-"} median); ` +
      `first token → client p50 ${ms(percentile(toClient, 50))}, p99 ${ms(percentile(toClient, 99))}`,
  );
  const metric = (name: string, values: number[], p: number, max: number): Metric => ({
    name,
    unit: "ms",
    value: percentile(values, p),
    n: values.length,
    target: { max },
  });
  return [
    metric("prompt_to_model_request_p50_ms", toRequest, 50, P50_TARGET_MS),
    metric("prompt_to_model_request_p99_ms", toRequest, 99, P99_TARGET_MS),
    metric("first_token_to_client_p50_ms", toClient, 50, P50_TARGET_MS),
    metric("first_token_to_client_p99_ms", toClient, 99, P99_TARGET_MS),
  ];
}

async function measure(context: BenchContext): Promise<Metric[]> {
  const { url, ownerToken: token, model } = context;
  const aborted = whenAborted(context.signal);
  const samples: TurnSample[] = [];
  const turnsStartMs = performance.now();
  for (let i = 0; i < WARMUPS + SAMPLES; i++) {
    const turn = retryOnReload(context, `agent turn ${i}`, () => turnOnce(url, token, model, i));
    // An interrupted turn fails later, once the platform is gone; nobody waits for it then.
    turn.catch(() => {});
    const sample = await Promise.race([turn, aborted]);
    if (i >= WARMUPS) samples.push(sample);
  }
  context.log(
    `agent: ${WARMUPS + SAMPLES} turns, each in a new session, in ${(performance.now() - turnsStartMs).toFixed(0)} ms`,
  );
  return report(context, samples);
}

/** Prompt → model request and first token → client, through `wrangler dev` and the model stand-in. */
export const agentBenchmark: Benchmark = {
  name: "agent",
  needsPlatform: true,
  run: measure,
};
