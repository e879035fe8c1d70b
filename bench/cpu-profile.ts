// A CPU profile of the Worker under load, taken over the V8 inspector `wrangler dev` serves, with
// a summary of where the time went: set TANDEM_BENCH_CPU_PROFILE to a file path and the load
// benchmarks write the profile there (open it in any DevTools) and log its heaviest functions.

import WebSocket from "ws";

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
  hitCount?: number;
  children?: number[];
}

/** A profile as the DevTools protocol returns it. */
export interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples?: number[];
  timeDeltas?: number[];
}

/** A running profile. */
export interface Profiling {
  stop(): Promise<CpuProfile>;
}

/** Starts sampling every `intervalUs` in the Worker behind the inspector on `port`. */
export async function startCpuProfile(port: number, intervalUs = 200): Promise<Profiling> {
  const targets = (await (await fetch(`http://127.0.0.1:${port}/json`)).json()) as {
    webSocketDebuggerUrl?: string;
  }[];
  const target = targets.find((t) => t.webSocketDebuggerUrl);
  if (!target) throw new Error(`no inspectable Worker behind port ${port}`);
  // wrangler's inspector proxy refuses the upgrade Node's built-in WebSocket sends.
  const socket = new WebSocket(target.webSocketDebuggerUrl!);
  await new Promise<void>((resolve, reject) => {
    socket.once("open", resolve);
    socket.once("error", (error) => reject(new Error(`inspector: ${error.message}`)));
  });
  let nextId = 0;
  const waiting = new Map<number, (reply: Reply) => void>();
  type Reply = { id?: number; result?: unknown; error?: { message: string } };
  socket.on("message", (data) => {
    const reply = JSON.parse(String(data)) as Reply;
    if (reply.id !== undefined) waiting.get(reply.id)?.(reply);
  });
  const call = (method: string, params: Record<string, unknown> = {}) =>
    new Promise<unknown>((resolve, reject) => {
      const id = ++nextId;
      waiting.set(id, (reply) => {
        waiting.delete(id);
        if (reply.error) reject(new Error(`inspector ${method}: ${reply.error.message}`));
        else resolve(reply.result);
      });
      socket.send(JSON.stringify({ id, method, params }));
    });
  await call("Profiler.enable");
  await call("Profiler.setSamplingInterval", { interval: intervalUs });
  await call("Profiler.start");
  return {
    async stop() {
      const { profile } = (await call("Profiler.stop")) as { profile: CpuProfile };
      socket.close();
      return profile;
    },
  };
}

/** The functions with the most self time, and what share of the sampled time was idle. */
export function heaviestFunctions(profile: CpuProfile, top = 25): string[] {
  const totalHits = profile.nodes.reduce((sum, node) => sum + (node.hitCount ?? 0), 0);
  const durationMs = (profile.endTime - profile.startTime) / 1000;
  const byFunction = new Map<string, number>();
  for (const node of profile.nodes) {
    const { functionName, url, lineNumber } = node.callFrame;
    const file = url.split("/").slice(-2).join("/");
    const key = `${functionName || "(anonymous)"} ${file}:${lineNumber + 1}`;
    byFunction.set(key, (byFunction.get(key) ?? 0) + (node.hitCount ?? 0));
  }
  const share = (hits: number) => `${((hits / Math.max(1, totalHits)) * 100).toFixed(1)}%`;
  return [
    `${durationMs.toFixed(0)} ms sampled, ${totalHits} samples`,
    ...[...byFunction]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, hits]) => `${share(hits).padStart(6)}  ${name}`),
  ];
}
