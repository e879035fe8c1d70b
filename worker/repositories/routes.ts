// Routes under /api/repositories: register, recipe, images, build now, build logs, prewarm and the pool.
import { Hono } from "hono";
import {
  BuildNowBodySchema,
  RegisterRepositoryBodySchema,
  SetRecipeBodySchema,
} from "../../protocol/registry.ts";
import { reachableRepositories } from "../github/access.ts";
import { TandemError } from "../../protocol/errors.ts";
import { formatRecipeError, parseRecipeJson } from "../../sandbox-images/recipe-parse.ts";
import { requestBuild } from "../../registry/builds.ts";
import type { Repository } from "../../registry/registry.ts";
import { requireUser, sameOrigin } from "../auth/middleware.ts";
import { jsonBody, orThrow, type AppContext, type AppEnv } from "../http.ts";

/** The repository named by the path, or not_found. */
async function repositoryOf(c: AppContext): Promise<Repository> {
  const repo = `${c.req.param("owner")}/${c.req.param("name")}`;
  const found = await c.var.deps.registry.repository(repo);
  if (!found) throw new TandemError("not_found", `${repo} is not registered; register it first.`);
  return found;
}

/** A recipe given through the API, validated, as stored JSON. */
function recipeText(recipe: unknown): string | null {
  if (recipe === undefined || recipe === null) return null;
  const parsed = parseRecipeJson(recipe);
  if (!parsed.ok)
    throw new TandemError(
      "invalid_input",
      `The recipe is not valid: ${parsed.errors.map(formatRecipeError).join("; ")}`,
    );
  return JSON.stringify(parsed.recipe);
}

/** The /api/repositories routes. */
export const repositoryRoutes = new Hono<AppEnv>()
  .use(requireUser)
  .post("/", async (c) => {
    const body = await jsonBody(c, RegisterRepositoryBodySchema);
    const { registry, now } = c.var.deps;
    if (await registry.repository(body.repo))
      throw new TandemError("conflict", `${body.repo} is already registered.`);
    const repository = await registry.register({
      repo: body.repo,
      cloneUrl: body.cloneUrl ?? `https://github.com/${body.repo}.git`,
      defaultBranch: body.defaultBranch,
      recipe: recipeText(body.recipe),
      warmPoolSize: body.warmPoolSize,
      createdBy: c.var.user.id,
      createdAt: now(),
    });
    return c.json({ repository }, 201);
  })
  .get("/", async (c) =>
    c.json({
      repositories: await reachableRepositories(
        c.var.deps,
        c.var.user.id,
        await c.var.deps.registry.repositoryList(),
      ),
    }),
  )
  .get("/:owner/:name", async (c) => {
    const repository = await repositoryOf(c);
    const pool = await c.var.deps.pool(repository.repo).status();
    const newest = await c.var.deps.registry.newestImage(repository.repo);
    return c.json({ repository, pool, currentImage: newest ?? null });
  })
  .put("/:owner/:name/recipe", async (c) => {
    const repository = await repositoryOf(c);
    const { recipe } = await jsonBody(c, SetRecipeBodySchema);
    const text = recipeText(recipe);
    await c.var.deps.registry.setRecipe(repository.repo, text);
    return c.json({ repository: { ...repository, recipe: text } });
  })
  .get("/:owner/:name/images", async (c) => {
    const repository = await repositoryOf(c);
    return c.json({ images: await c.var.deps.registry.imagesOf(repository.repo) });
  })
  .post("/:owner/:name/images", async (c) => {
    const repository = await repositoryOf(c);
    const { commit } = await jsonBody(c, BuildNowBodySchema);
    const target = commit ?? repository.headCommit;
    if (!target)
      throw new TandemError(
        "invalid_input",
        "No commit is known for the default branch yet; give one as { commit }.",
      );
    const { registry, now, pool } = c.var.deps;
    const started = orThrow(
      await requestBuild(
        {
          registry,
          pool: pool(repository.repo),
          now,
          credential: c.var.deps.cloneCredential,
        },
        repository,
        target,
        "manual",
      ),
    );
    return c.json(started, 202);
  })
  .post("/:owner/:name/prewarm", async (c) => {
    const repository = await repositoryOf(c);
    // Answer at once; the sandbox starts in the background while the person goes on typing.
    c.executionCtx.waitUntil(
      c.var.deps
        .pool(repository.repo)
        .prewarm()
        .catch((error: unknown) =>
          console.log(
            JSON.stringify({ message: "repository.prewarm.failed", error: String(error) }),
          ),
        ),
    );
    return c.body(null, 202);
  })
  .get("/:owner/:name/images/:imageId/log", async (c) => {
    const repository = await repositoryOf(c);
    const image = await c.var.deps.registry.image(c.req.param("imageId"));
    if (!image || image.repo !== repository.repo)
      throw new TandemError("not_found", "No such image of this repository.");
    const after = Number(c.req.query("after") ?? 0);
    const lines = await c.var.deps
      .pool(repository.repo)
      .logOf(image.id, Number.isFinite(after) ? after : 0);
    return c.json({ image, lines });
  })
  .get("/:owner/:name/builds/ws", async (c) => {
    if (c.req.header("Upgrade")?.toLowerCase() !== "websocket")
      throw new TandemError("invalid_input", "This endpoint expects a WebSocket upgrade.");
    if (c.req.header("Origin") !== undefined && !sameOrigin(c)) {
      throw new TandemError(
        "origin_rejected",
        "WebSocket connections are accepted only from Tandem's own pages.",
      );
    }
    const repository = await repositoryOf(c);
    return c.var.deps
      .pool(repository.repo)
      .fetch(new Request(c.req.url, { headers: c.req.raw.headers }));
  });
