// The session timeline: every event a session records, as one zod discriminated union.
import { z } from "zod";
import { LastTurnSchema, MailSchema, MemberStateSchema, ParentLinkSchema } from "./team.ts";

/** Participant roles, strongest first. */
export const RoleSchema = z.enum(["owner", "collaborator", "viewer"]);
export type Role = z.infer<typeof RoleSchema>;

/** Roles a share link may grant (ownership is never shared by link). */
export const ShareRoleSchema = z.enum(["collaborator", "viewer"]);
export type ShareRole = z.infer<typeof ShareRoleSchema>;

/** How a participant went: they left, or the owner removed them. */
export const RemovalReasonSchema = z.enum(["left", "removed"]);
export type RemovalReason = z.infer<typeof RemovalReasonSchema>;

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

/** How a tool call ended. */
export const ToolStatusSchema = z.enum([
  /** It ran and succeeded. */
  "ok",
  /** It ran and failed, or its input was wrong; the output says how to fix it. */
  "error",
  /** A plugin refused it before it ran. */
  "blocked",
  /** It was running when the turn broke off (restart); it was not run again. */
  "interrupted",
  /** A participant stopped the turn while it ran. */
  "stopped",
]);
export type ToolStatus = z.infer<typeof ToolStatusSchema>;

/** Tokens a model call used, and what they cost. */
export const UsageSchema = z.object({
  inputTokens: z.number().int().min(0),
  outputTokens: z.number().int().min(0),
  cacheReadTokens: z.number().int().min(0),
  cacheWriteTokens: z.number().int().min(0),
  costUsd: z.number().min(0),
});
export type Usage = z.infer<typeof UsageSchema>;

/** A pull request's state as sessions show it. */
export const PullRequestStateSchema = z.enum(["open", "closed", "merged"]);
export type PullRequestState = z.infer<typeof PullRequestStateSchema>;

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
  /** A participant left, or the owner removed them (`actor` is who did it); their sockets closed. */
  event(
    "participant.removed",
    z.object({ person: PersonSchema, role: RoleSchema, reason: RemovalReasonSchema }),
  ),
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
  /** The agent began (or resumed) a turn on a prompt. */
  event(
    "agent.turn_started",
    z.object({
      messageId: z.string(),
      model: z.string(),
      /** The model server is the offline rehearsal stand-in, not a real model. */
      rehearsal: z.boolean(),
      /** Resumed from a checkpoint after the session restarted mid-turn. */
      resumed: z.boolean(),
    }),
  ),
  /** A finished text block of the assistant (streamed before as `agent.delta` socket messages). */
  event(
    "agent.text",
    z.object({
      messageId: z.string(),
      /** The model call within the turn, from 0. */
      step: z.number().int().min(0),
      /** The content block within the call. */
      index: z.number().int().min(0),
      text: z.string(),
    }),
  ),
  event(
    "agent.tool_started",
    z.object({
      messageId: z.string(),
      toolUseId: z.string(),
      name: z.string(),
      input: z.unknown(),
    }),
  ),
  event(
    "agent.tool_finished",
    z.object({
      messageId: z.string(),
      toolUseId: z.string(),
      name: z.string(),
      status: ToolStatusSchema,
      durationMs: z.number().min(0),
      /** What the model was told, capped for the timeline. */
      output: z.string(),
      truncated: z.boolean(),
      /** Notes plugins added after the call. */
      annotations: z.array(z.string()),
    }),
  ),
  /** The model server refused or broke off; the call is retried after `delayMs`. */
  event(
    "agent.retrying",
    z.object({
      messageId: z.string(),
      /** The call being retried: whatever it streamed so far (text included) is void. */
      step: z.number().int().min(0),
      attempt: z.number().int().min(1),
      maxAttempts: z.number().int().min(1),
      delayMs: z.number().min(0),
      reason: z.string(),
    }),
  ),
  /** What one model call used; `session` is the running total of the session. */
  event(
    "agent.usage",
    z.object({
      messageId: z.string(),
      model: z.string(),
      step: z.number().int().min(0),
      call: UsageSchema,
      turn: UsageSchema,
      session: UsageSchema,
    }),
  ),
  /** What a fast-model call the platform made for this session used: routing a request here,
   * or comparing a fan-out's answers. `session` is the session's running total. */
  event(
    "agent.fast_usage",
    z.object({
      purpose: z.enum(["routing", "synthesis"]),
      model: z.string(),
      call: UsageSchema,
      session: UsageSchema,
    }),
  ),
  /** Something a person should know about the agent's work (spend limit, no sandbox, rehearsal). */
  event(
    "agent.notice",
    z.object({
      messageId: z.string().nullable(),
      level: z.enum(["info", "warning"]),
      text: z.string(),
    }),
  ),
  /** The turn's changes were committed on the session's branch. */
  event(
    "commit.created",
    z.object({
      messageId: z.string(),
      sha: z.string(),
      branch: z.string(),
      author: z.object({ name: z.string(), email: z.string() }),
      message: z.string(),
      files: z.array(z.string()),
    }),
  ),
  /** The session's branch was pushed and its pull request opened (`created`) or brought up to date. */
  event(
    "pull_request.published",
    z.object({
      number: z.number().int(),
      url: z.string(),
      branch: z.string(),
      commit: z.string(),
      created: z.boolean(),
      /** Whose GitHub token opened or updated it. */
      by: PersonSchema,
    }),
  ),
  /** The branch was pushed but no pull request could be opened in the person's name: compare instead. */
  event(
    "pull_request.compare",
    z.object({ url: z.string(), branch: z.string(), reason: z.string() }),
  ),
  /** Publishing failed after its retries; nothing was lost (the commits stay in the workspace). */
  event("pull_request.failed", z.object({ reason: z.string() })),
  /** GitHub says the pull request changed (webhook). */
  event(
    "pull_request.changed",
    z.object({
      number: z.number().int(),
      url: z.string(),
      state: PullRequestStateSchema,
      action: z.enum(["opened", "closed", "merged", "reopened", "synchronize", "edited"]),
      /** The GitHub login that did it. */
      by: z.string(),
    }),
  ),
  /** A review was submitted on the pull request (webhook). */
  event(
    "pull_request.reviewed",
    z.object({
      number: z.number().int(),
      url: z.string(),
      review: z.enum(["approved", "changes_requested", "commented"]),
      by: z.string(),
    }),
  ),
  /** This session was started by another one, under a name and an optional role. */
  event(
    "team.linked",
    z.object({ parent: ParentLinkSchema, name: z.string(), role: z.string().nullable() }),
  ),
  /** The agent started a child session. */
  event(
    "team.child_spawned",
    z.object({
      sessionId: z.string(),
      name: z.string(),
      repo: z.string(),
      title: z.string(),
      role: z.string().nullable(),
    }),
  ),
  /** A child session began working, went idle or shut down. */
  event(
    "team.member_changed",
    z.object({
      sessionId: z.string(),
      name: z.string(),
      state: MemberStateSchema,
      lastTurn: LastTurnSchema,
      summary: z.string().nullable(),
    }),
  ),
  /** A question went out to several spaces at once. */
  event(
    "team.fan_out_started",
    z.object({
      fanOutId: z.string(),
      question: z.string(),
      spaces: z.array(z.string()),
      skipped: z.array(z.object({ space: z.string(), reason: z.string() })),
    }),
  ),
  /** The spaces' answers came back (or their time ran out) and were compared. */
  event(
    "team.fan_out_finished",
    z.object({
      fanOutId: z.string(),
      question: z.string(),
      answered: z.array(z.object({ space: z.string(), sessionId: z.string() })),
      skipped: z.array(z.object({ space: z.string(), reason: z.string() })),
      synthesis: z.string(),
    }),
  ),
  /** Discovery asked each space to describe itself and proposed a routing guide from the answers. */
  event(
    "routing.proposed",
    z.object({
      org: z.string(),
      /** The proposed guide as a routing table. */
      markdown: z.string(),
      skipped: z.array(z.object({ space: z.string(), reason: z.string() })),
    }),
  ),
  /** A person's request was routed to this session's space (by the classifier, or the person's choice). */
  event(
    "session.routed",
    z.object({
      space: z.string(),
      reason: z.string(),
      by: z.enum(["classifier", "person"]),
    }),
  ),
  /** This session was shut down by the session that started it; agents' mail no longer wakes it. */
  event("team.shut_down", z.object({ by: z.string() })),
  /** The agent sent a message to linked sessions. */
  event("mailbox.sent", z.object({ to: z.array(z.string()), text: z.string() })),
  /** A message arrived in this session's mailbox. */
  event("mailbox.received", z.object({ mail: MailSchema })),
  /** The agent read (and so drained) its unread messages. */
  event("mailbox.read", z.object({ ids: z.array(z.string()) })),
  /** A pipeline run began in this session. */
  event(
    "pipeline.run_started",
    z.object({ runId: z.string(), pipeline: z.string(), request: z.string() }),
  ),
  /** A role of a run started, handed over, was skipped or failed (one line of the handoff log). */
  event(
    "pipeline.handoff",
    z.object({
      runId: z.string(),
      entry: z.object({
        kind: z.enum(["start", "done", "failed", "skipped"]),
        role: z.string(),
        message: z.string(),
        at: z.number(),
      }),
    }),
  ),
  /** A run ended: every role done, or stopped with the reason. */
  event(
    "pipeline.run_finished",
    z.object({
      runId: z.string(),
      status: z.enum(["completed", "failed"]),
      reason: z.string().nullable(),
    }),
  ),
  /** A role's notes gained a line (from its agent, or a person's feedback). */
  event(
    "pipeline.note_added",
    z.object({
      pipeline: z.string(),
      role: z.string(),
      text: z.string(),
      source: z.enum(["agent", "person"]),
    }),
  ),
  /** The session's model or spend limit changed. */
  event(
    "session.settings_changed",
    z.object({ model: z.string(), spendLimitUsd: z.number().nullable() }),
  ),
  /** A port of the session's sandbox was published as a preview (or its label changed). `actor`
   * is the person who exposed it, or whose prompt the agent was working on. */
  event(
    "preview.exposed",
    z.object({
      port: z.number().int(),
      label: z.string(),
      /** Where the preview is served (its own origin; opening it signs the person in there). */
      url: z.string(),
      by: z.enum(["agent", "person"]),
      /** The prompt the agent was working on, when the agent exposed it. */
      messageId: z.string().nullable(),
    }),
  ),
  /** A preview was closed: its port is no longer reachable from browsers. */
  event("preview.closed", z.object({ port: z.number().int() })),
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
