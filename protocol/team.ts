// Sessions working together: the links between a session, the session that started it and the
// ones it started, their mailboxes, and what people and agents see of them.
import { z } from "zod";

/** A name a session goes by among its linked sessions (a teammate's name). */
export const MemberNameSchema = z
  .string()
  .regex(
    /^[a-z][a-z0-9-]{0,39}$/,
    "use 1–40 lower-case letters, digits and dashes, starting with a letter",
  );

/** Where a linked session is in its life: working on prompts, idle, or shut down for good. */
export const MemberStateSchema = z.enum(["working", "idle", "shut_down"]);
export type MemberState = z.infer<typeof MemberStateSchema>;

/** How a linked session's last turn ended. */
export const LastTurnSchema = z.enum(["done", "stopped", "failed"]).nullable();

/** A linked session as another session (and the people in it) sees it. */
export const LinkStatusSchema = z.object({
  sessionId: z.string(),
  name: z.string(),
  role: z.string().nullable(),
  repo: z.string(),
  title: z.string(),
  state: MemberStateSchema,
  lastTurn: LastTurnSchema,
  /** The agent's last words in its last finished turn, capped. */
  summary: z.string().nullable(),
  updatedAt: z.number(),
});
export type LinkStatus = z.infer<typeof LinkStatusSchema>;

/** Who sent a mail: a session and the name it goes by. */
export const MailSenderSchema = z.object({ sessionId: z.string(), name: z.string() });
export type MailSender = z.infer<typeof MailSenderSchema>;

/** A message in a session's mailbox; `readAt` is set when the agent read it. */
export const MailSchema = z.object({
  id: z.string(),
  seq: z.number().int(),
  from: MailSenderSchema,
  text: z.string(),
  sentAt: z.number(),
  readAt: z.number().nullable(),
});
export type Mail = z.infer<typeof MailSchema>;

/** The most characters one mail carries. */
export const MAX_MAIL_CHARS = 20_000;

/** A mail as it travels from one session to another. */
export const MailDeliverySchema = z.object({
  id: z.string(),
  from: MailSenderSchema,
  text: z.string().min(1).max(MAX_MAIL_CHARS),
  sentAt: z.number(),
});
export type MailDelivery = z.infer<typeof MailDeliverySchema>;

/** The session that started this one, as its children know it. */
export const ParentLinkSchema = z.object({
  sessionId: z.string(),
  title: z.string(),
  repo: z.string(),
});
export type ParentLink = z.infer<typeof ParentLinkSchema>;

/** The team of a session as people in it see it: itself, its parent, its children and inboxes. */
export const TeamViewSchema = z.object({
  self: z.object({
    name: z.string(),
    role: z.string().nullable(),
    depth: z.number().int().min(0),
    state: MemberStateSchema,
  }),
  parent: ParentLinkSchema.nullable(),
  children: z.array(LinkStatusSchema),
  /** This session's own mailbox, oldest first. */
  inbox: z.array(MailSchema),
  /** Each child's mailbox, as far as it answered. */
  inboxes: z.array(
    z.object({ sessionId: z.string(), name: z.string(), mail: z.array(MailSchema).nullable() }),
  ),
});
export type TeamView = z.infer<typeof TeamViewSchema>;
