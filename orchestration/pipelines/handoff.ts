// What a role hands over when it finishes: a summary, an optional verdict and named fields.
import { z } from "zod";
import { got } from "../../sandbox-images/recipe-messages.ts";
import { FIELD_NAME, VerdictSchema } from "./condition.ts";

/** The longest summary, and the longest value of one field. */
export const MAX_HANDOFF_TEXT_CHARS = 20_000;
/** The most fields one handoff may hold. */
export const MAX_HANDOFF_FIELDS = 20;
/** Field names the handoff fills from its own summary and verdict. */
const RESERVED_FIELDS = ["summary", "verdict"];

/** What one step of a run handed over; a skipped or failed step's summary says why. */
export interface Handoff {
  role: string;
  status: "done" | "skipped" | "failed";
  summary: string;
  verdict: string | null;
  fields: Record<string, string>;
}

const FieldKeySchema = z
  .string()
  .regex(FIELD_NAME, {
    error:
      "must be lower-case letters, digits and underscores, starting with a letter, at most 40 characters",
  })
  .refine((key) => !RESERVED_FIELDS.includes(key), {
    error: (issue) => `is taken: pass it as the ${String(issue.input)} argument instead`,
  });

/** The `handoff` tool's input, with messages the agent can act on. */
export const HandoffInputSchema = z.strictObject(
  {
    summary: z
      .string({
        error: (issue) =>
          issue.input === undefined
            ? "summary is required: say what you did and what the roles after you need to know"
            : `summary must be text saying what you did${got(issue.input)}`,
      })
      .refine((text) => text.trim() !== "", { error: "summary must say what you did" })
      .refine((text) => text.length <= MAX_HANDOFF_TEXT_CHARS, {
        error: `summary must be at most ${MAX_HANDOFF_TEXT_CHARS} characters; put details in fields`,
      }),
    verdict: VerdictSchema.optional(),
    fields: z
      .record(
        FieldKeySchema,
        z
          .string({ error: (issue) => `each field's value must be text${got(issue.input)}` })
          .max(MAX_HANDOFF_TEXT_CHARS, {
            error: `each field's value must be at most ${MAX_HANDOFF_TEXT_CHARS} characters`,
          }),
        {
          error: (issue) =>
            issue.code === "invalid_key"
              ? `the field name ${JSON.stringify(issue.input)} ${issue.issues[0]?.message ?? "is not valid"}`
              : `fields must map names to text${got(issue.input)}`,
        },
      )
      .refine((fields) => Object.keys(fields).length <= MAX_HANDOFF_FIELDS, {
        error: `fields may hold at most ${MAX_HANDOFF_FIELDS} entries`,
      })
      .optional(),
  },
  {
    error: (issue) =>
      issue.code === "unrecognized_keys"
        ? "the handoff takes only summary, verdict and fields"
        : undefined,
  },
);
/** The `handoff` tool's input, as the agent sends it. */
export type HandoffInput = z.output<typeof HandoffInputSchema>;

/** The handoff of a role that finished its work. */
export function handoffFrom(role: string, input: HandoffInput): Handoff {
  return {
    role,
    status: "done",
    summary: input.summary,
    verdict: input.verdict ?? null,
    fields: input.fields ?? {},
  };
}

/** The fields of several handoffs, later ones overriding earlier; summary and verdict included. */
export function accumulatedFields(handoffs: readonly Handoff[]): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const handoff of handoffs) {
    Object.assign(fields, handoff.fields);
    fields.summary = handoff.summary;
    if (handoff.verdict !== null) fields.verdict = handoff.verdict;
  }
  return fields;
}
