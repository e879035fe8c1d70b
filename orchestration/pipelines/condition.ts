// The condition language of pipelines: what must hold before a role runs, after it, and to choose the next role.
import { z } from "zod";
import { got, listWords } from "../../sandbox-images/recipe-messages.ts";

/** One condition: a handed-over field, the verdict, the workspace's changes, or a command's exit. */
export type Condition =
  { has: string } | { verdict: string[] } | { changes: boolean } | { command: string[] };

/** A condition decided from the handoff alone, without looking into the sandbox. */
export type SubjectCondition = Extract<Condition, { has: string } | { verdict: string[] }>;

/** The most conditions one list may hold. */
export const MAX_CONDITIONS = 20;
/** The most arguments one command condition may hold. */
export const MAX_COMMAND_ARGS = 100;
/** A handoff field name: `findings`, `test_plan`. */
export const FIELD_NAME = /^[a-z][a-z0-9_]{0,39}$/;
/** A verdict: `approved`, `changes_requested`, `needs-work`. */
export const VERDICT = /^[a-z][a-z0-9_-]{0,39}$/;

const KINDS = ["has", "verdict", "changes", "command"] as const;
const KIND_WORDS = listWords(KINDS, "or");

const FieldNameSchema = z
  .string({ error: (issue) => `must be a field name, like findings${got(issue.input)}` })
  .regex(FIELD_NAME, {
    error: (issue) =>
      `must be a field name of lower-case letters, digits and underscores, starting with a letter, at most 40 characters${got(issue.input)}`,
  });

/** A verdict word, as a role hands it over and as conditions name it. */
export const VerdictSchema = z
  .string({ error: (issue) => `must be a verdict word, like approved${got(issue.input)}` })
  .regex(VERDICT, {
    error: (issue) =>
      `must be a verdict word of lower-case letters, digits, "_" and "-", at most 40 characters${got(issue.input)}`,
  });

const ArgumentSchema = z
  .string({ error: (issue) => `must be a string; quote numbers in YAML${got(issue.input)}` })
  .min(1, { error: "must not be empty" })
  .max(1_000, { error: "must be at most 1000 characters" });

const listOf = <T extends z.ZodType>(item: T, what: string, max: number) =>
  z
    .array(item, { error: (issue) => `must be a list of ${what}${got(issue.input)}` })
    .min(1, { error: `must name at least one ${what.replace(/s$/, "")}` })
    .max(max, { error: `must hold at most ${max} ${what}` });

const ConditionFieldsSchema = z.strictObject(
  {
    has: FieldNameSchema.optional(),
    verdict: listOf(VerdictSchema, "verdicts", MAX_CONDITIONS).optional(),
    changes: z.boolean({ error: (issue) => `must be true or false${got(issue.input)}` }).optional(),
    command: listOf(ArgumentSchema, "arguments", MAX_COMMAND_ARGS).optional(),
  },
  {
    error: (issue) => {
      if (issue.code === "unrecognized_keys")
        return `is not a kind of condition; a condition is one of ${KIND_WORDS}`;
      if (issue.code === "invalid_type")
        return `must be a mapping with one of ${KIND_WORDS}, like { has: summary }${got(issue.input)}`;
      return undefined;
    },
  },
);

/** One condition as written, `{ has: findings }`, read into its single kind. */
export const ConditionSchema = ConditionFieldsSchema.transform((fields, ctx): Condition => {
  // An unknown key is already reported, and says more than "is empty" would.
  if (ctx.issues.length > 0) return z.NEVER;
  const kinds = KINDS.filter((kind) => fields[kind] !== undefined);
  if (kinds.length !== 1) {
    ctx.issues.push({
      code: "custom",
      input: fields,
      message:
        kinds.length === 0
          ? `is empty; a condition is one of ${KIND_WORDS}`
          : `holds ${listWords(kinds, "and")}; write each condition as its own list item`,
    });
    return z.NEVER;
  }
  if (fields.has !== undefined) return { has: fields.has };
  if (fields.verdict !== undefined) return { verdict: fields.verdict };
  if (fields.changes !== undefined) return { changes: fields.changes };
  return { command: fields.command ?? [] };
});

const conditionArray = z
  .array(ConditionSchema, {
    error: (issue) => `must be a list of conditions, like [{ has: summary }]${got(issue.input)}`,
  })
  .max(MAX_CONDITIONS, { error: `must hold at most ${MAX_CONDITIONS} conditions` });

/** A list of conditions of any kind (`input`, `output`), empty when absent. */
export const ConditionListSchema = conditionArray.default([]);

/** True for the conditions decided from the handoff alone. */
export function isSubjectCondition(condition: Condition): condition is SubjectCondition {
  return "has" in condition || "verdict" in condition;
}

/** A list that chooses without running anything (`skip_when`, `next[].when`): has and verdict only. */
export function subjectConditionListSchema(key: string) {
  return conditionArray
    .default([])
    .superRefine((conditions, ctx) => {
      conditions.forEach((condition, index) => {
        if (isSubjectCondition(condition)) return;
        const kind = "changes" in condition ? "changes" : "command";
        ctx.addIssue({
          code: "custom",
          path: [index, kind],
          message: `cannot be used in ${key}, which takes only has and verdict (they are decided from the handoff, without running anything); check ${kind} in a role's input or output instead`,
        });
      });
    })
    .transform((conditions) => conditions.filter(isSubjectCondition));
}
