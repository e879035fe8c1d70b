// HTTP request and response bodies of the Worker API.
import { z } from "zod";
import {
  PersonSchema,
  PullRequestStateSchema,
  RemovalReasonSchema,
  RoleSchema,
  ShareRoleSchema,
  UsageSchema,
} from "./events.ts";
import { idPattern } from "./ids.ts";
import { ClientIdSchema, PromptTextSchema, QueueStateSchema } from "./room.ts";

/** `owner/name`, as GitHub spells repositories. */
export const RepoSchema = z
  .string()
  .regex(/^[A-Za-z0-9-]{1,39}\/[A-Za-z0-9._-]{1,100}$/, "a repository is written owner/name");

/** A model name as the Messages API takes it. */
export const ModelNameSchema = z
  .string()
  .min(1)
  .max(100)
  .regex(/^[A-Za-z0-9._:@\/-]+$/, "a model name is letters, digits and . _ : @ / - only");

/** The most a session may spend, in US dollars. */
export const SpendLimitSchema = z.number().positive().max(10_000);

/** POST /api/sessions */
export const CreateSessionBodySchema = z.object({
  repo: RepoSchema,
  title: z.string().trim().min(1).max(200),
  prompt: z.object({ clientId: ClientIdSchema, text: PromptTextSchema }).optional(),
  model: ModelNameSchema.optional(),
  spendLimitUsd: SpendLimitSchema.optional(),
});

/** PATCH /api/sessions/:id/settings: null clears a setting back to the default. */
export const SessionSettingsBodySchema = z
  .object({
    model: ModelNameSchema.nullable().optional(),
    spendLimitUsd: SpendLimitSchema.nullable().optional(),
  })
  .refine((body) => body.model !== undefined || body.spendLimitUsd !== undefined, {
    message: "name at least one setting to change: model or spendLimitUsd",
  });
export type SessionSettingsBody = z.infer<typeof SessionSettingsBodySchema>;
export type CreateSessionBody = z.infer<typeof CreateSessionBodySchema>;

/** POST /api/sessions/:id/prompts */
export const PromptBodySchema = z.object({ clientId: ClientIdSchema, text: PromptTextSchema });

/** POST /api/sessions/:id/share-links */
export const CreateShareLinkBodySchema = z.object({
  role: ShareRoleSchema,
  expiresInHours: z
    .number()
    .int()
    .min(1)
    .max(24 * 90)
    .optional(),
});

/** POST /api/sessions/:id/join */
export const JoinBodySchema = z.object({ token: z.string().min(10).max(200) });

/** DELETE /api/sessions/:id/participants/:userId path */
export const ParticipantPathSchema = z.object({
  userId: z
    .string()
    .regex(idPattern("usr"), "a user id is usr_ and 26 lowercase letters or digits"),
});

/** DELETE /api/sessions/:id/participants/:userId answer: who went, with which role, and how. */
export const RemovedParticipantSchema = z.object({
  person: PersonSchema,
  role: RoleSchema,
  reason: RemovalReasonSchema,
});
export type RemovedParticipant = z.infer<typeof RemovedParticipantSchema>;

/** GET /api/auth/providers: the ways the sign-in page may offer. */
export const AuthProvidersSchema = z.object({ github: z.boolean(), local: z.boolean() });
export type AuthProviders = z.infer<typeof AuthProvidersSchema>;

/** POST /api/auth/tokens */
export const CreateTokenBodySchema = z.object({ name: z.string().trim().min(1).max(100) });

/** GET /api/sessions/:id/events query */
export const EventsQuerySchema = z.object({
  after: z.coerce.number().int().min(0).default(0),
  limit: z.coerce.number().int().min(1).max(1000).default(500),
});

/** A session's status as lists show it: idle, prompts waiting, or a turn running. */
export const SessionStatusSchema = z.enum(["idle", "queued", "running"]);
export type SessionStatus = z.infer<typeof SessionStatusSchema>;

/** A session as GET /api/sessions lists it. */
export const SessionSummarySchema = z.object({
  id: z.string(),
  repo: z.string(),
  title: z.string(),
  status: SessionStatusSchema,
  createdAt: z.number(),
  updatedAt: z.number(),
  role: RoleSchema,
  /** The session's pull request, once published. */
  pullRequest: z
    .object({ number: z.number().int(), url: z.string(), state: PullRequestStateSchema })
    .nullable(),
  /** Who takes part in it. */
  people: z.array(PersonSchema),
});
export type SessionSummary = z.infer<typeof SessionSummarySchema>;

/** A participant as the session view lists them. */
export const ParticipantSchema = z.object({
  person: PersonSchema,
  role: RoleSchema,
  joinedAt: z.number(),
  lastSeenAt: z.number().nullable(),
});
export type Participant = z.infer<typeof ParticipantSchema>;

/** A session as its participants see it. */
export const SessionViewSchema = z.object({
  id: z.string(),
  repo: z.string(),
  title: z.string(),
  createdAt: z.number(),
  createdBy: PersonSchema,
  role: RoleSchema,
  participants: z.array(ParticipantSchema),
  queue: QueueStateSchema,
  lastSeq: z.number().int(),
  /** The model the agent uses in this session. */
  model: z.string(),
  spendLimitUsd: z.number().nullable(),
  /** What the agent has used in this session so far. */
  usage: UsageSchema,
  /** The session's pull request, once published. */
  pullRequest: z
    .object({
      number: z.number().int(),
      url: z.string(),
      branch: z.string(),
      state: PullRequestStateSchema,
    })
    .nullable(),
});
export type SessionView = z.infer<typeof SessionViewSchema>;

/** A share link as its owner sees it (the token is shown once, at creation). */
export const ShareLinkSchema = z.object({
  id: z.string(),
  role: ShareRoleSchema,
  createdAt: z.number(),
  expiresAt: z.number().nullable(),
  revokedAt: z.number().nullable(),
});
export type ShareLink = z.infer<typeof ShareLinkSchema>;
