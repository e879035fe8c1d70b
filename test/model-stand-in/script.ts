// What a test tells the model stand-in to answer: a named script is a list of responses, one per
// model call of a conversation, each optionally preceded by faults that fail the first attempts.
import { z } from "zod";

const Count = z.number().int().min(0);
/** How many attempts in a row a fault fails. */
const Times = z.number().int().min(1).default(1);

/** A block of the assistant's answer. */
export const ScriptBlockSchema = z.discriminatedUnion("type", [
  z.strictObject({ type: z.literal("text"), text: z.string() }),
  z.strictObject({
    type: z.literal("tool_use"),
    name: z.string().min(1),
    input: z.record(z.string(), z.unknown()),
    id: z
      .string()
      .regex(/^[a-zA-Z0-9_-]+$/)
      .optional(),
  }),
]);

/** Token counts to report; each defaults to a rough count from the sizes involved. */
export const ScriptUsageSchema = z.strictObject({
  input_tokens: Count.optional(),
  output_tokens: Count.optional(),
  cache_creation_input_tokens: Count.optional(),
  cache_read_input_tokens: Count.optional(),
});

/** Pauses while the body is written: before the first content delta, and between writes. */
export const PacingSchema = z.strictObject({
  firstTokenDelayMs: Count.optional(),
  chunkDelayMs: Count.optional(),
});

/** A failure served instead of the response, for `times` attempts. */
export const FaultSchema = z.discriminatedUnion("kind", [
  z.strictObject({
    kind: z.literal("status"),
    status: z.number().int().min(400).max(599),
    retryAfterMs: Count.optional(),
    times: Times,
  }),
  z.strictObject({ kind: z.literal("error_event"), afterBlocks: Count.optional(), times: Times }),
  z.strictObject({ kind: z.literal("drop"), afterBytes: Count.optional(), times: Times }),
  z.strictObject({ kind: z.literal("hang"), times: Times }),
]);

const Common = {
  pacing: PacingSchema.optional(),
  faults: z.array(FaultSchema).optional(),
};

/** An answer given as content blocks, streamed or returned as JSON as the request asks. */
export const MessageResponseSchema = z.strictObject({
  kind: z.literal("message").optional(),
  content: z.array(ScriptBlockSchema),
  stop_reason: z
    .enum(["end_turn", "tool_use", "max_tokens", "stop_sequence", "pause_turn", "refusal"])
    .optional(),
  usage: ScriptUsageSchema.optional(),
  ...Common,
});

/** An answer given as exact SSE bytes (a recorded stream), served to streaming requests only. */
export const RawResponseSchema = z.strictObject({
  kind: z.literal("raw"),
  sse: z.string().min(1),
  ...Common,
});

/** One response of a script: a message, or a recorded stream. */
export const ScriptResponseSchema = z.discriminatedUnion("kind", [
  MessageResponseSchema,
  RawResponseSchema,
]);

/** The body of `PUT /_stand-in/scripts/:name`. */
export const ScriptSchema = z.strictObject({ responses: z.array(ScriptResponseSchema) });

/** The parsed forms of the schemas above. */
export type ScriptBlock = z.infer<typeof ScriptBlockSchema>;
export type ScriptUsage = z.infer<typeof ScriptUsageSchema>;
export type Pacing = z.infer<typeof PacingSchema>;
export type Fault = z.infer<typeof FaultSchema>;
export type MessageResponse = z.infer<typeof MessageResponseSchema>;
export type RawResponse = z.infer<typeof RawResponseSchema>;
export type ScriptResponse = z.infer<typeof ScriptResponseSchema>;
export type Script = z.infer<typeof ScriptSchema>;
/** A script as callers write it: `times` may be left out. */
export type ScriptInput = z.input<typeof ScriptSchema>;

const NAME = "[A-Za-z0-9._-]{1,100}";
/** A script name, as the control API's paths take it. */
export const SCRIPT_NAME = new RegExp(`^${NAME}$`);
/** The marker in a conversation's text that names the script answering it. */
export const SCRIPT_MARKER = new RegExp(`\\[script:(${NAME})\\]`);

/**
 * The fault that attempt `attempt` (counting from 1) of a response meets, or null once every
 * fault has had its turn: faults fail attempts in list order, each `times` attempts in a row.
 */
export function faultForAttempt(
  faults: readonly Fault[] | undefined,
  attempt: number,
): Fault | null {
  let failed = 0;
  for (const fault of faults ?? []) {
    failed += fault.times;
    if (attempt <= failed) return fault;
  }
  return null;
}
