// Pipelines on the wire: definitions people register, runs as a session shows them, role notes.
import { z } from "zod";
import { PersonSchema } from "./events.ts";

export const RunStatusSchema = z.enum(["pending", "in_progress", "completed", "failed"]);
export const StepStatusSchema = z.enum([
  "pending",
  "in_progress",
  "completed",
  "failed",
  "skipped",
]);

/** What a step handed over. */
export const HandoffViewSchema = z.object({
  role: z.string(),
  status: z.enum(["done", "skipped", "failed"]),
  summary: z.string(),
  verdict: z.string().nullable(),
  fields: z.record(z.string(), z.string()),
});

export const RunStepViewSchema = z.object({
  role: z.string(),
  round: z.number().int(),
  status: StepStatusSchema,
  startedAt: z.number().nullable(),
  updatedAt: z.number(),
  handoff: HandoffViewSchema.nullable(),
  reason: z.string().nullable(),
});

/** One line of a run's handoff log. */
export const HandoffLogEntrySchema = z.object({
  kind: z.enum(["start", "done", "failed", "skipped"]),
  role: z.string(),
  message: z.string(),
  at: z.number(),
});
export type HandoffLogEntryView = z.infer<typeof HandoffLogEntrySchema>;

/** A pipeline run as people in its session see it. */
export const PipelineRunViewSchema = z.object({
  id: z.string(),
  pipeline: z.string(),
  /** The roles in the order the definition lists them. */
  roles: z.array(z.string()),
  maxRounds: z.number().int(),
  request: z.string(),
  startedBy: PersonSchema,
  status: RunStatusSchema,
  currentRole: z.string().nullable(),
  startedAt: z.number(),
  updatedAt: z.number(),
  reason: z.string().nullable(),
  steps: z.array(RunStepViewSchema),
  log: z.array(HandoffLogEntrySchema),
});
export type PipelineRunView = z.infer<typeof PipelineRunViewSchema>;

/** `POST /api/sessions/:id/pipeline-runs`. */
export const StartRunBodySchema = z.object({
  pipeline: z.string().regex(/^[a-z][a-z0-9-]{0,39}$/, "a pipeline name is a lower-case slug"),
  request: z.string().trim().min(1).max(20_000),
  clientId: z.string().min(1).max(100),
});
export type StartRunBody = z.infer<typeof StartRunBodySchema>;

/** A pipeline a repository has, as listed. */
export const PipelineSummarySchema = z.object({
  name: z.string(),
  description: z.string().nullable(),
  roles: z.array(z.string()),
  maxRounds: z.number().int(),
  source: z.enum(["api", "repository"]),
  updatedAt: z.number().nullable(),
});
export type PipelineSummary = z.infer<typeof PipelineSummarySchema>;

/** A role's note: kept across runs, written by the role's agent or by a person as feedback. */
export const RoleNoteSchema = z.object({
  id: z.number().int(),
  text: z.string(),
  source: z.enum(["agent", "person"]),
  author: PersonSchema.nullable(),
  sessionId: z.string().nullable(),
  at: z.number(),
});
export type RoleNoteView = z.infer<typeof RoleNoteSchema>;

/** `POST …/pipelines/:pipeline/roles/:role/notes`: a person's feedback for the role's next run. */
export const AddNoteBodySchema = z.object({ text: z.string().trim().min(1).max(4_000) });
