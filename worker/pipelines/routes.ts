// Routes under /api/repositories/:owner/:name/pipelines: register and list pipelines, and read or
// add to a role's notes (a person's feedback for the role's next run).
import { Hono } from "hono";
import { SLUG } from "../../orchestration/pipelines/definition.ts";
import { formatPipelineIssue, parsePipelineValue } from "../../orchestration/pipelines/parse.ts";
import { AddNoteBodySchema } from "../../protocol/pipelines.ts";
import { TandemError } from "../../protocol/errors.ts";
import { requireUser } from "../auth/middleware.ts";
import { requireRepositoryAccess } from "../github/access.ts";
import { jsonBody, type AppContext, type AppEnv } from "../http.ts";
import { addNote, listPipelines, loadPipeline, notesOf, savePipeline } from "./library.ts";

/** The registered repository of the path that the person may work on. */
async function repositoryOf(c: AppContext): Promise<string> {
  const repo = `${c.req.param("owner")}/${c.req.param("name")}`;
  const found = await c.var.deps.registry.repository(repo);
  if (!found) throw new TandemError("not_found", `${repo} is not registered; register it first.`);
  await requireRepositoryAccess(c.var.deps, c.var.user.id, found.repo);
  return found.repo;
}

function slugOf(c: AppContext, param: "pipeline" | "role"): string {
  const value = c.req.param(param) ?? "";
  if (!SLUG.test(value)) throw new TandemError("not_found", `No ${param} named "${value}".`);
  return value;
}

export const pipelineRoutes = new Hono<AppEnv>()
  .use(requireUser)
  .get("/:owner/:name/pipelines", async (c) => {
    const repo = await repositoryOf(c);
    return c.json({ pipelines: await listPipelines(c.var.deps.db, repo) });
  })
  .get("/:owner/:name/pipelines/:pipeline", async (c) => {
    const repo = await repositoryOf(c);
    const name = slugOf(c, "pipeline");
    const definition = await loadPipeline(c.var.deps.db, repo, name);
    if (!definition) throw new TandemError("not_found", `${repo} has no pipeline named ${name}.`);
    return c.json({ pipeline: definition });
  })
  .put("/:owner/:name/pipelines/:pipeline", async (c) => {
    const repo = await repositoryOf(c);
    const name = slugOf(c, "pipeline");
    const body: unknown = await c.req.json().catch(() => {
      throw new TandemError("invalid_input", "The body must be a JSON pipeline definition.");
    });
    const value =
      body && typeof body === "object" && !Array.isArray(body) ? { name, ...body } : body;
    const parsed = parsePipelineValue(value);
    if (!parsed.ok) {
      throw new TandemError(
        "invalid_input",
        `The pipeline is not valid:\n${parsed.issues.map((issue) => `- ${formatPipelineIssue(issue, null)}`).join("\n")}`,
      );
    }
    if (parsed.value.name !== name) {
      throw new TandemError(
        "invalid_input",
        `The pipeline is named "${parsed.value.name}" but the path says "${name}"; make them match.`,
      );
    }
    const { db, now } = c.var.deps;
    return c.json({
      pipeline: await savePipeline(db, repo, parsed.value, c.var.user.id, now()),
    });
  })
  .get("/:owner/:name/pipelines/:pipeline/roles/:role/notes", async (c) => {
    const repo = await repositoryOf(c);
    const key = { repo, pipeline: slugOf(c, "pipeline"), role: slugOf(c, "role") };
    return c.json({ notes: await notesOf(c.var.deps.db, key) });
  })
  .post("/:owner/:name/pipelines/:pipeline/roles/:role/notes", async (c) => {
    const repo = await repositoryOf(c);
    const key = { repo, pipeline: slugOf(c, "pipeline"), role: slugOf(c, "role") };
    const { text } = await jsonBody(c, AddNoteBodySchema);
    const { db, now } = c.var.deps;
    const definition = await loadPipeline(db, repo, key.pipeline);
    if (definition && !definition.roles.some((role) => role.name === key.role)) {
      throw new TandemError(
        "not_found",
        `The pipeline ${key.pipeline} has no role ${key.role}; its roles are ${definition.roles.map((r) => r.name).join(", ")}.`,
      );
    }
    const at = now();
    const id = await addNote(
      db,
      { ...key, text, source: "person", authorId: c.var.user.id, sessionId: null },
      at,
    );
    const notes = await notesOf(db, key);
    return c.json({ note: notes.find((note) => note.id === id) }, 201);
  });
