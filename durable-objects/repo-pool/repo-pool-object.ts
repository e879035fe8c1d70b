// The RepoPool Durable Object: one per repository; holds the current image pointer and the warm pool.
import { DurableObject } from "cloudflare:workers";

/** What the pool knows about its repository's images and ready sandboxes. */
export interface PoolStatus {
  repo: string | null;
  currentImageId: string | null;
  warmSandboxes: number;
}

export class RepoPoolObject extends DurableObject<Env> {
  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    ctx.storage.sql.exec(
      "CREATE TABLE IF NOT EXISTS pool (id INTEGER PRIMARY KEY CHECK (id = 1), repo TEXT, current_image_id TEXT)",
    );
  }

  /** The pool's current state. */
  status(): PoolStatus {
    const row = this.ctx.storage.sql
      .exec<{ repo: string | null; current_image_id: string | null }>(
        "SELECT repo, current_image_id FROM pool",
      )
      .toArray()[0];
    return {
      repo: row?.repo ?? null,
      currentImageId: row?.current_image_id ?? null,
      warmSandboxes: 0,
    };
  }
}
