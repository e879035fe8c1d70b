// D1 tables of pipelines: definitions registered through the API, and each role's notes.
import { index, integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";

/** A pipeline registered for a repository (its wire form as JSON). */
export const pipelines = sqliteTable(
  "pipelines",
  {
    repo: text("repo").notNull(),
    name: text("name").notNull(),
    definition: text("definition").notNull(),
    updatedBy: text("updated_by").notNull(),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.repo, t.name] })],
);

/** What a role keeps across its runs: its own notes and people's feedback, append-only. */
export const roleNotes = sqliteTable(
  "role_notes",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    repo: text("repo").notNull(),
    pipeline: text("pipeline").notNull(),
    role: text("role").notNull(),
    text: text("text").notNull(),
    source: text("source", { enum: ["agent", "person"] }).notNull(),
    authorId: text("author_id"),
    sessionId: text("session_id"),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [index("role_notes_role").on(t.repo, t.pipeline, t.role, t.id)],
);
