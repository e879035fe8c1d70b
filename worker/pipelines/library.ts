// Pipelines registered for repositories and each role's notes, in D1.
import { and, desc, eq } from "drizzle-orm";
import type { PipelineDefinition } from "../../orchestration/pipelines/definition.ts";
import { pipelineToWire } from "../../orchestration/pipelines/definition.ts";
import { parsePipelineValue } from "../../orchestration/pipelines/parse.ts";
import type { PipelineSummary, RoleNoteView } from "../../protocol/pipelines.ts";
import type { Database } from "../db/database.ts";
import { users } from "../db/index.sql.ts";
import { pipelines, roleNotes } from "./pipelines.sql.ts";

/** The most notes of one role a run is given (the newest). */
export const MAX_NOTES_PER_RUN = 50;

const summaryOf = (
  definition: PipelineDefinition,
  source: PipelineSummary["source"],
  updatedAt: number | null,
): PipelineSummary => ({
  name: definition.name,
  description: definition.description,
  roles: definition.roles.map((role) => role.name),
  maxRounds: definition.maxRounds,
  source,
  updatedAt,
});

/** A stored definition, read back through the same validation it passed when saved. */
function definitionOf(json: string): PipelineDefinition | null {
  const parsed = parsePipelineValue(JSON.parse(json));
  return parsed.ok ? parsed.value : null;
}

export async function listPipelines(db: Database, repo: string): Promise<PipelineSummary[]> {
  const rows = await db.select().from(pipelines).where(eq(pipelines.repo, repo)).all();
  return rows.flatMap((row) => {
    const definition = definitionOf(row.definition);
    return definition ? [summaryOf(definition, "api", row.updatedAt)] : [];
  });
}

export async function loadPipeline(
  db: Database,
  repo: string,
  name: string,
): Promise<PipelineDefinition | null> {
  const row = await db
    .select()
    .from(pipelines)
    .where(and(eq(pipelines.repo, repo), eq(pipelines.name, name)))
    .get();
  return row ? definitionOf(row.definition) : null;
}

export async function savePipeline(
  db: Database,
  repo: string,
  definition: PipelineDefinition,
  userId: string,
  at: number,
): Promise<PipelineSummary> {
  const row = {
    repo,
    name: definition.name,
    definition: JSON.stringify(pipelineToWire(definition)),
    updatedBy: userId,
    updatedAt: at,
  };
  await db
    .insert(pipelines)
    .values(row)
    .onConflictDoUpdate({ target: [pipelines.repo, pipelines.name], set: row })
    .run();
  return summaryOf(definition, "api", at);
}

/** A role's notes, oldest first (the newest `limit`). */
export async function notesOf(
  db: Database,
  key: { repo: string; pipeline: string; role: string },
  limit = MAX_NOTES_PER_RUN,
): Promise<RoleNoteView[]> {
  const rows = await db
    .select({ note: roleNotes, author: users })
    .from(roleNotes)
    .leftJoin(users, eq(users.id, roleNotes.authorId))
    .where(
      and(
        eq(roleNotes.repo, key.repo),
        eq(roleNotes.pipeline, key.pipeline),
        eq(roleNotes.role, key.role),
      ),
    )
    .orderBy(desc(roleNotes.id))
    .limit(limit)
    .all();
  return rows.reverse().map(({ note, author }) => ({
    id: note.id,
    text: note.text,
    source: note.source,
    author: author
      ? { userId: author.id, login: author.login, name: author.name, avatarUrl: author.avatarUrl }
      : null,
    sessionId: note.sessionId,
    at: note.createdAt,
  }));
}

export async function addNote(
  db: Database,
  note: {
    repo: string;
    pipeline: string;
    role: string;
    text: string;
    source: "agent" | "person";
    authorId: string | null;
    sessionId: string | null;
  },
  at: number,
): Promise<number> {
  const row = await db
    .insert(roleNotes)
    .values({ ...note, createdAt: at })
    .returning({ id: roleNotes.id })
    .get();
  return row.id;
}
