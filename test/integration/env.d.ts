// Bindings that exist only in the integration test pool.
import type { D1Migration } from "@cloudflare/vitest-pool-workers";

declare global {
  namespace Cloudflare {
    interface Env {
      TEST_MIGRATIONS: D1Migration[];
      /** JSON: the sandbox host and demo repository the global setup started, or why it could not. */
      TEST_SANDBOX_HOST: string;
      /** JSON: the GitHub tests' stand-ins and secrets (GitHubTestWorld). */
      TEST_GITHUB_WORLD: string;
    }
  }
}

export {};
