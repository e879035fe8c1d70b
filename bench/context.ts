// What every benchmark receives (a progress log, the interruption signal, the platform if it needs one) and its shape.
import type { ModelStandIn } from "../test/model-stand-in/server.ts";
import type { Metric } from "./report.ts";

/** What every benchmark gets, whether or not it talks to the platform. */
export interface RunContext {
  /** Aborted when the run is interrupted (Ctrl-C): stop, clean up, and retry nothing. */
  signal: AbortSignal;
  /** Prints a progress line (to stderr, so stdout keeps only the table). */
  log(message: string): void;
}

/** The running platform and the people a platform benchmark may use. */
export interface BenchContext extends RunContext {
  url: string;
  /** Token of the user who owns the sessions the benchmarks create. */
  ownerToken: string;
  /** Tokens of further users, made collaborators where a benchmark needs several people. */
  guestTokens: readonly string[];
  /** The model server the platform's agent talks to (the stand-in, scripted by name). */
  model: ModelStandIn;
  /** A prompt whose turn runs until stopped: sent first, it keeps later prompts queued. */
  holdingPrompt: string;
}

interface BenchmarkBase {
  /** The name in the log and on the command line (`npm run bench -- <name>`). */
  name: string;
  /** Why it cannot run on this machine, or null; a benchmark that cannot run is skipped, not failed. */
  unavailable?(): Promise<string | null>;
}

/** A benchmark against `wrangler dev`. */
export interface PlatformBenchmark extends BenchmarkBase {
  needsPlatform: true;
  run(context: BenchContext): Promise<Metric[]>;
}

/** A benchmark of something it starts itself (the sandbox host, or a platform of its own); the
 * shared platform may be down. */
export interface LocalBenchmark extends BenchmarkBase {
  needsPlatform: false;
  run(context: RunContext): Promise<Metric[]>;
}

/** One benchmark: a run that returns its metrics or throws. */
export type Benchmark = PlatformBenchmark | LocalBenchmark;
