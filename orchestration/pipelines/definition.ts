// A pipeline: its roles in order, their instructions and contracts, as written (snake_case) and as read.
import { z } from "zod";
import { got, strictFields } from "../../sandbox-images/recipe-messages.ts";
import { ConditionListSchema, subjectConditionListSchema } from "./condition.ts";
import type { Condition, SubjectCondition } from "./condition.ts";

/** The most roles one pipeline may hold. */
export const MAX_ROLES = 12;
/** The most `next` entries one role may hold. */
export const MAX_TRANSITIONS = 20;
/** The longest instructions of one role. */
export const MAX_INSTRUCTIONS_CHARS = 8_000;
/** The longest description of a pipeline. */
export const MAX_DESCRIPTION_CHARS = 2_000;
/** How many times one role may run in one run when the pipeline does not say. */
export const DEFAULT_MAX_ROUNDS = 3;
/** The most `max_rounds` may allow. */
export const MAX_ROUNDS_LIMIT = 10;
/** A pipeline or role name: `review-loop`, `fix`. */
export const SLUG = /^[a-z][a-z0-9-]{0,39}$/;
/** The `goto` target that ends the run. */
export const END = "end";

/** Where the run goes after a role when every condition of `when` holds. */
export interface Transition {
  when: SubjectCondition[];
  goto: string;
}

/** One role: a turn of the agent with its own conversation, instructions and contracts. */
export interface RoleDefinition {
  name: string;
  instructions: string;
  input: Condition[];
  output: Condition[];
  skipWhen: SubjectCondition[];
  next: Transition[];
}

/** A pipeline as read: roles run one after another inside one session. */
export interface PipelineDefinition {
  name: string;
  description: string | null;
  maxRounds: number;
  roles: RoleDefinition[];
}

/** Says "is required: …" for a missing key and "must be …" for a value of the wrong type. */
const expecting =
  (needed: string, wanted: string) =>
  (issue: { input?: unknown }): string =>
    issue.input === undefined ? `is required: ${needed}` : `must be ${wanted}${got(issue.input)}`;

const slug = (what: string, example: string) =>
  z
    .string({
      error: expecting(`the ${what}'s name, like ${example}`, `a ${what} name, like ${example}`),
    })
    .regex(SLUG, {
      error: (issue) =>
        `must be a ${what} name of lower-case letters, digits and "-", starting with a letter, at most 40 characters${got(issue.input)}`,
    });

const TransitionSchema = strictFields(
  {
    when: subjectConditionListSchema("next[].when"),
    goto: z.string({
      error: expecting(`a role name, or ${END} to end the run`, `a role name, or ${END}`),
    }),
  },
  "next",
);

const RoleSchema = strictFields(
  {
    name: slug("role", "review"),
    instructions: z
      .string({ error: expecting("what this role is to do", "the role's instructions, as text") })
      .refine((text) => text.trim() !== "", { error: "must not be empty" })
      .refine((text) => text.length <= MAX_INSTRUCTIONS_CHARS, {
        error: `must be at most ${MAX_INSTRUCTIONS_CHARS} characters`,
      }),
    input: ConditionListSchema,
    output: ConditionListSchema,
    skip_when: subjectConditionListSchema("skip_when"),
    next: z
      .array(TransitionSchema, {
        error: (issue) => `must be a list of { when, goto } entries${got(issue.input)}`,
      })
      .max(MAX_TRANSITIONS, { error: `must hold at most ${MAX_TRANSITIONS} entries` })
      .default([]),
  },
  "role",
);

/** A pipeline as sent or written (snake_case keys), read into a PipelineDefinition. */
export const PipelineInputSchema = strictFields(
  {
    name: slug("pipeline", "review-loop"),
    description: z
      .string({ error: (issue) => `must be text${got(issue.input)}` })
      .min(1, { error: "must not be empty; leave it out instead" })
      .max(MAX_DESCRIPTION_CHARS, { error: `must be at most ${MAX_DESCRIPTION_CHARS} characters` })
      .nullish(),
    max_rounds: z
      .int({ error: (issue) => `must be a whole number${got(issue.input)}` })
      .min(1, { error: "must be at least 1" })
      .max(MAX_ROUNDS_LIMIT, { error: `must be at most ${MAX_ROUNDS_LIMIT}` })
      .default(DEFAULT_MAX_ROUNDS),
    roles: z
      .array(RoleSchema, { error: expecting("the list of roles, run in order", "a list of roles") })
      .min(1, { error: "must hold at least one role" })
      .max(MAX_ROLES, { error: `must hold at most ${MAX_ROLES} roles` }),
  },
  "pipeline",
)
  .superRefine((pipeline, ctx) => {
    const names = pipeline.roles.map((role) => role.name);
    names.forEach((name, index) => {
      if (name === END)
        ctx.addIssue({
          code: "custom",
          path: ["roles", index, "name"],
          message: `cannot be "${END}": goto ${END} ends the run; name the role for what it does`,
        });
      const first = names.indexOf(name);
      if (first !== index)
        ctx.addIssue({
          code: "custom",
          path: ["roles", index, "name"],
          message: `repeats the role name "${name}" of roles[${first}]; role names must be unique`,
        });
    });
    pipeline.roles.forEach((role, index) =>
      role.next.forEach((transition, at) => {
        if (transition.goto === END || names.includes(transition.goto)) return;
        ctx.addIssue({
          code: "custom",
          path: ["roles", index, "next", at, "goto"],
          message: `"${transition.goto}" is not a role of this pipeline (roles: ${names.join(", ")}); use a role name or ${END}`,
        });
      }),
    );
  })
  .transform((pipeline): PipelineDefinition => ({
    name: pipeline.name,
    description: pipeline.description ?? null,
    maxRounds: pipeline.max_rounds,
    roles: pipeline.roles.map(({ skip_when, ...role }) => ({ ...role, skipWhen: skip_when })),
  }));

/** One role in its wire form, every key written out. */
export interface RoleWire {
  name: string;
  instructions: string;
  input: Condition[];
  output: Condition[];
  skip_when: SubjectCondition[];
  next: Transition[];
}

/** A pipeline in its wire form, every key written out; PipelineInputSchema reads it back unchanged. */
export interface PipelineWire {
  name: string;
  description: string | null;
  max_rounds: number;
  roles: RoleWire[];
}

/** Turns a definition back into the snake_case form PipelineInputSchema reads. */
export function pipelineToWire(definition: PipelineDefinition): PipelineWire {
  return {
    name: definition.name,
    description: definition.description,
    max_rounds: definition.maxRounds,
    roles: definition.roles.map(({ skipWhen, ...role }) => ({ ...role, skip_when: skipWhen })),
  };
}
