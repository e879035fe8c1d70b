// The 30-minute cron's composition: the registry refresh with the configured sandbox host.
import { gitHubConfigFrom } from "../github/config.ts";
import { GitHub } from "../github/github.ts";
import { openDatabase } from "./db/database.ts";
import { Registry } from "../registry/registry.ts";
import { refreshImages, type RefreshReport } from "../registry/refresh.ts";
import { configuredSandboxesFrom } from "../sandbox/configured-provider.ts";
import { SandboxError } from "../sandbox/provider.ts";

/** Checks every repository's default branch and builds the images that are due. */
export async function runImageCron(env: Env): Promise<RefreshReport> {
  const host = configuredSandboxesFrom(env);
  const db = openDatabase(env.DB);
  const config = gitHubConfigFrom(env);
  const github = config ? new GitHub(config, db, () => Date.now()) : null;
  const credential = github ? (repo: string) => github.cloneCredential(repo) : undefined;
  return refreshImages({
    registry: new Registry(db),
    heads: {
      head: async (repository) => {
        if (!host)
          throw new SandboxError(
            "unavailable",
            "No sandbox host is configured to read branch heads.",
          );
        const secret = await credential?.(repository.repo);
        return host.resolveBranch({
          cloneUrl: repository.cloneUrl,
          branch: repository.defaultBranch,
          ...(secret ? { credential: secret } : {}),
        });
      },
    },
    pool: (repo) => env.REPO_POOL.get(env.REPO_POOL.idFromName(repo)),
    provider: host,
    now: () => Date.now(),
    ...(credential ? { credential } : {}),
  });
}
