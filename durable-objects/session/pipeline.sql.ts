// The Session object's tables for pipeline runs: each run's state, its handoff log, and which
// prompts are role turns (with what each handed over).
import { integer, sqliteTable, text } from "drizzle-orm/sqlite-core";

/** One run: its definition as it was when it started, and its state machine as JSON. */
export const pipelineRuns = sqliteTable("pipeline_runs", {
  id: text("id").primaryKey(),
  clientId: text("client_id").notNull().unique(),
  pipeline: text("pipeline").notNull(),
  definition: text("definition").notNull(),
  request: text("request").notNull(),
  startedBy: text("started_by").notNull(),
  state: text("state").notNull(),
  createdAt: integer("created_at").notNull(),
  updatedAt: integer("updated_at").notNull(),
});

/** The handoff log, append-only. */
export const pipelineLog = sqliteTable("pipeline_log", {
  seq: integer("seq").primaryKey({ autoIncrement: true }),
  runId: text("run_id").notNull(),
  kind: text("kind", { enum: ["start", "done", "failed", "skipped"] }).notNull(),
  role: text("role").notNull(),
  message: text("message").notNull(),
  at: integer("at").notNull(),
});

/** A role's turn: the prompt (by client id) that runs one round of one role, and its handoff. */
export const roleTurns = sqliteTable("role_turns", {
  clientId: text("client_id").primaryKey(),
  runId: text("run_id").notNull(),
  role: text("role").notNull(),
  round: integer("round").notNull(),
  /** The Handoff the role gave, as JSON; null until it called handoff. */
  handoff: text("handoff"),
});
