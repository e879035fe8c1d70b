// What every benchmark receives: the running platform's address, its users, and a progress log.
import type { Metric } from "./report.ts";

/** The platform and people a benchmark may use. */
export interface BenchContext {
  url: string;
  /** Token of the user who owns the sessions the benchmarks create. */
  ownerToken: string;
  /** Tokens of further users, made collaborators where a benchmark needs several people. */
  guestTokens: readonly string[];
  /** Aborted when the run is interrupted (Ctrl-C): nothing should be retried then. */
  signal: AbortSignal;
  /** Prints a progress line (to stderr, so stdout keeps only the table). */
  log(message: string): void;
}

/** One benchmark: a name for the log and a run that returns its metrics or throws. */
export interface Benchmark {
  name: string;
  run(context: BenchContext): Promise<Metric[]>;
}
