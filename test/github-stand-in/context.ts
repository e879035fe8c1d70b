// What every part of the stand-in works with: the world, the token store, the logs, the webhook
// queue, GitHub's API description, and a lock per repository for git writes.
import type { Tokens } from "./auth/tokens.ts";
import type { Description } from "./description/validator.ts";
import type { Records } from "./records.ts";
import type { Repo, World } from "./state/world.ts";
import type { Deliveries } from "./webhooks/deliveries.ts";

/** The largest body the stand-in reads (git packs included). */
export const MAX_BODY_BYTES = 256 * 1024 * 1024;

/** The stand-in's parts, built once in `server.ts`. */
export interface StandInContext {
  world: World;
  tokens: Tokens;
  records: Records;
  deliveries: Deliveries;
  description: Description;
  log: (line: string) => void;
  /**
   * Failures injected by tests (`faults.ts`): the next `left` calls of an operation, on any
   * repository or on one, answer `status`.
   */
  faults: Map<string, { status: number; left: number }>;
  /** Runs `work` after every earlier locked work on `repo` (pushes, merges) has ended. */
  withRepoLock<T>(repo: Repo, work: () => Promise<T>): Promise<T>;
}

/** A per-repository lock: one push or merge at a time, so ref comparisons see only their own change. */
export function createRepoLocks(): StandInContext["withRepoLock"] {
  const tails = new Map<number, Promise<unknown>>();
  return (repo, work) => {
    const previous = tails.get(repo.id) ?? Promise.resolve();
    const next = previous.then(work, work);
    tails.set(
      repo.id,
      next.catch(() => undefined),
    );
    return next;
  };
}
