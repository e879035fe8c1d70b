// Starting image builds: from the API ("build now"), from the cron, or from a push.
import { fail, ok, type Result } from "../protocol/errors.ts";
import { newId } from "../protocol/ids.ts";
import type { BuildImageRequest, Limits } from "../protocol/sandbox-host.ts";
import { formatRecipeError, parseRecipeJson } from "../sandbox-images/recipe-parse.ts";
import { toBuildSteps, toLimits } from "../sandbox-images/recipe-to-host.ts";
import type { BuildReason, Registry, Repository } from "./registry.ts";

/** The RepoPool calls a build needs (satisfied by the Durable Object stub). */
export interface PoolPort {
  startBuild(plan: {
    repo: string;
    imageId: string;
    commit: string;
    request: BuildImageRequest;
  }): Promise<Result<{ imageId: string }>>;
}

/** What the build request and the sandboxes of a repository look like under its registered recipe. */
export function buildSettings(
  repository: Repository,
): Result<{ request: Omit<BuildImageRequest, "id" | "commit">; limits: Limits | null }> {
  const base = { repo: repository.repo, cloneUrl: repository.cloneUrl };
  if (repository.recipe === null)
    return ok({ request: { ...base, recipeFromRepository: true }, limits: null });
  const parsed = parseRecipeJson(JSON.parse(repository.recipe));
  if (!parsed.ok)
    return fail(
      "invalid_input",
      `The registered recipe is not valid: ${parsed.errors.map(formatRecipeError).join("; ")}`,
    );
  const recipe = parsed.recipe;
  return ok({
    request: {
      ...base,
      steps: toBuildSteps(recipe),
      env: recipe.env,
      network: recipe.network.build,
    },
    limits: toLimits(recipe),
  });
}

/** Records a build in the registry and hands it to the repository's pool. */
export async function requestBuild(
  deps: {
    registry: Registry;
    pool: PoolPort;
    now: () => number;
    /** A credential minted for this build's clone only (never stored in the image). */
    credential?: (repo: string) => Promise<{ username: string; password: string } | null>;
  },
  repository: Repository,
  commit: string,
  reason: BuildReason,
): Promise<Result<{ imageId: string }>> {
  const settings = buildSettings(repository);
  if (!settings.ok) return settings;
  const credential = (await deps.credential?.(repository.repo)) ?? null;
  const imageId = newId("img", deps.now());
  await deps.registry.buildStarted({
    id: imageId,
    repo: repository.repo,
    commit,
    reason,
    createdAt: deps.now(),
  });
  const started = await deps.pool.startBuild({
    repo: repository.repo,
    imageId,
    commit,
    request: {
      ...settings.value.request,
      id: imageId,
      commit,
      ...(credential ? { credential } : {}),
    },
  });
  if (!started.ok)
    await deps.registry.buildFinished(
      imageId,
      { ok: false, error: started.error.message },
      deps.now(),
    );
  return started;
}
