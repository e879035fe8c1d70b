// The session socket: every client → room and room → client message.
import { z } from "zod";
import { ErrorCodeSchema } from "./errors.ts";
import { PersonSchema, QueuedPromptSchema, RoleSchema, SessionEventSchema } from "./events.ts";

/** The largest socket frame a room accepts from a client (a longest prompt fits in any script). */
export const MAX_CLIENT_FRAME_BYTES = 256 * 1024;
/** The longest prompt a person may send. */
export const MAX_PROMPT_CHARS = 32_000;
/** How long a "typing" signal lasts unless renewed. */
export const TYPING_TTL_MS = 6_000;

/** A client-chosen id that makes a prompt idempotent. */
export const ClientIdSchema = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9_.:-]+$/, "letters, digits and _ . : - only");

/** A prompt's text: not empty, not oversize. */
export const PromptTextSchema = z
  .string()
  .max(MAX_PROMPT_CHARS, `a prompt holds at most ${MAX_PROMPT_CHARS} characters`)
  .refine((text) => text.trim().length > 0, "a prompt cannot be empty");

/** Messages a client sends to a session room. */
export const ClientMessageSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("subscribe"), cursor: z.number().int().min(0) }),
  z.object({ type: z.literal("prompt"), clientId: ClientIdSchema, text: PromptTextSchema }),
  z.object({ type: z.literal("prompt.cancel"), messageId: z.string().max(64) }),
  z.object({ type: z.literal("stop") }),
  z.object({ type: z.literal("typing"), typing: z.boolean() }),
  z.object({ type: z.literal("ping") }),
]);
export type ClientMessage = z.infer<typeof ClientMessageSchema>;
export type ClientMessageType = ClientMessage["type"];

/** One person's presence in the room. */
export const PresenceEntrySchema = z.object({
  person: PersonSchema,
  role: RoleSchema,
  connections: z.number().int(),
  typing: z.boolean(),
});
export type PresenceEntry = z.infer<typeof PresenceEntrySchema>;

/** The queue as broadcast to every connection. */
export const QueueStateSchema = z.object({
  running: QueuedPromptSchema.nullable(),
  queued: z.array(QueuedPromptSchema),
});
export type QueueState = z.infer<typeof QueueStateSchema>;

/** Messages a session room sends to a client. */
export const ServerMessageSchema = z.discriminatedUnion("type", [
  z.object({
    type: z.literal("hello"),
    connectionId: z.string(),
    sessionId: z.string(),
    you: PersonSchema,
    role: RoleSchema,
    lastSeq: z.number().int(),
  }),
  z.object({
    type: z.literal("events"),
    events: z.array(SessionEventSchema),
    replay: z.boolean(),
  }),
  z.object({ type: z.literal("subscribed"), cursor: z.number().int(), lastSeq: z.number().int() }),
  z.object({ type: z.literal("presence"), people: z.array(PresenceEntrySchema) }),
  z.object({ type: z.literal("queue"), queue: QueueStateSchema }),
  z.object({
    type: z.literal("prompt.accepted"),
    clientId: z.string(),
    messageId: z.string(),
    duplicate: z.boolean(),
  }),
  z.object({
    type: z.literal("error"),
    code: ErrorCodeSchema,
    message: z.string(),
    retryable: z.boolean(),
    replyTo: z.string().nullable(),
  }),
  z.object({ type: z.literal("pong") }),
  /** Text the model is streaming, batched; `text` is appended to the block until `agent.text` replaces it. */
  z.object({
    type: z.literal("agent.delta"),
    messageId: z.string(),
    step: z.number().int(),
    index: z.number().int(),
    text: z.string(),
  }),
  /** Output a running tool produces, batched (the finished call's event carries the kept output). */
  z.object({
    type: z.literal("tool.output"),
    messageId: z.string(),
    toolUseId: z.string(),
    text: z.string(),
  }),
]);
export type ServerMessage = z.infer<typeof ServerMessageSchema>;
