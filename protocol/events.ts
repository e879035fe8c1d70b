// The session timeline: every event a session records, as one zod discriminated union.
import { z } from "zod";

/** Participant roles, strongest first. */
export const RoleSchema = z.enum(["owner", "collaborator", "viewer"]);
export type Role = z.infer<typeof RoleSchema>;

/** Roles a share link may grant (ownership is never shared by link). */
export const ShareRoleSchema = z.enum(["collaborator", "viewer"]);
export type ShareRole = z.infer<typeof ShareRoleSchema>;

/** Where a session's sandbox is in its life, as the timeline reports it. */
export const SandboxStatusSchema = z.enum([
  "waiting",
  "warming",
  "starting",
  "restoring",
  "syncing",
  "ready",
  "stopped",
  "failed",
]);
export type SandboxStatus = z.infer<typeof SandboxStatusSchema>;

/** A person as events and messages name them. */
export const PersonSchema = z.object({
  userId: z.string(),
  login: z.string(),
  name: z.string().nullable(),
  avatarUrl: z.string().nullable(),
});
export type Person = z.infer<typeof PersonSchema>;

/** States of a prompt in the queue. */
export const PromptStateSchema = z.enum([
  "queued",
  "running",
  "done",
  "stopped",
  "failed",
  "cancelled",
]);
export type PromptState = z.infer<typeof PromptStateSchema>;

/** A prompt as the queue shows it. */
export const QueuedPromptSchema = z.object({
  messageId: z.string(),
  clientId: z.string(),
  author: PersonSchema,
  text: z.string(),
  state: PromptStateSchema,
  createdAt: z.number(),
});
export type QueuedPrompt = z.infer<typeof QueuedPromptSchema>;

const event = <T extends string, D extends z.ZodType>(type: T, data: D) =>
  z.object({
    seq: z.number().int().positive(),
    at: z.number(),
    actor: PersonSchema.nullable(),
    type: z.literal(type),
    data,
  });

/** Every timeline event. `seq` is strictly increasing within a session. */
export const SessionEventSchema = z.discriminatedUnion("type", [
  event("session.created", z.object({ repo: z.string(), title: z.string() })),
  event(
    "participant.joined",
    z.object({ person: PersonSchema, role: RoleSchema, via: z.enum(["create", "share_link"]) }),
  ),
  event("participant.role_changed", z.object({ person: PersonSchema, role: RoleSchema })),
  event("prompt.queued", z.object({ prompt: QueuedPromptSchema })),
  event("prompt.started", z.object({ messageId: z.string() })),
  event(
    "prompt.finished",
    z.object({
      messageId: z.string(),
      state: z.enum(["done", "stopped", "failed"]),
      reason: z.string().nullable(),
    }),
  ),
  event("prompt.cancelled", z.object({ messageId: z.string() })),
  event("session.stop_requested", z.object({ messageId: z.string() })),
  event("share_link.created", z.object({ linkId: z.string(), role: ShareRoleSchema })),
  event("share_link.revoked", z.object({ linkId: z.string() })),
  event(
    "sandbox.status",
    z.object({
      status: SandboxStatusSchema,
      sandboxId: z.string().nullable(),
      imageId: z.string().nullable(),
      /** The commit the workspace is at, once synced. */
      commit: z.string().nullable(),
      /** What a person should know: why it waits or failed, or that work was restored. */
      detail: z.string().nullable(),
    }),
  ),
]);
export type SessionEvent = z.infer<typeof SessionEventSchema>;
/** The name of an event type. */
export type SessionEventType = SessionEvent["type"];
/** The data of one event type. */
export type EventData<T extends SessionEventType> = Extract<SessionEvent, { type: T }>["data"];
/** An event before the store gives it a `seq` and a time. */
export type NewEvent = {
  [T in SessionEventType]: { type: T; actor: Person | null; data: EventData<T> };
}[SessionEventType];
