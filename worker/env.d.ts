// Bindings and settings the Worker and the Durable Objects receive (see wrangler.toml and README).
import type { RepoPoolObject } from "../durable-objects/repo-pool/repo-pool-object.ts";
import type { SessionObject } from "../durable-objects/session/session-object.ts";

declare global {
  namespace Cloudflare {
    interface Env {
      DB: D1Database;
      SESSION: DurableObjectNamespace<SessionObject>;
      REPO_POOL: DurableObjectNamespace<RepoPoolObject>;
      ASSETS: Fetcher;
      /** The origin people reach Tandem at; WebSocket upgrades from other origins are refused. */
      PUBLIC_URL: string;
      /** Signs browser sign-in cookies. A long random secret; rotate by replacing it (signs everyone out). */
      SESSION_SECRET: string;
    }
  }
  type Env = Cloudflare.Env;
}

declare module "*.sql" {
  const sql: string;
  export default sql;
}

export {};
