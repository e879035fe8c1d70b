// The image recipe: how a repository says to prepare its sandbox image (`.tandem/image.yaml`).
import { z } from "zod";
import { EnvSchema } from "./recipe-env.ts";
import { LimitsSchema } from "./recipe-limits.ts";
import { got, listWords, strictFields } from "./recipe-messages.ts";
import { stepListSchema } from "./recipe-step.ts";

/** Where a repository keeps its recipe, in the order they are looked for. */
export const RECIPE_FILES = [".tandem/image.yaml", ".tandem/image.yml"] as const;
/** The only recipe format version. */
export const RECIPE_VERSION = 1;
/** The most steps setup, build and warmup may hold together; the sandbox host runs at most 50. */
export const MAX_RECIPE_STEPS = 50;
/** The recipe's phases, in the order their steps run. */
export const PHASES = ["setup", "build", "warmup"] as const;
/** One of the recipe's phases. */
export type Phase = (typeof PHASES)[number];

/** `version: 1`; any other value is a format this platform cannot read. */
export const VersionSchema = z.literal(RECIPE_VERSION, {
  error: (issue) =>
    issue.input === undefined
      ? `is required: write "version: ${RECIPE_VERSION}" at the top of the file`
      : `must be ${RECIPE_VERSION}, the only recipe format version${got(issue.input)}`,
});

const NetworkSchema = strictFields(
  {
    build: z
      .boolean({ error: (issue) => `must be true or false${got(issue.input)}` })
      .default(false),
  },
  "network",
).prefault({});

// The subset of git's ref-name rules a person can trip over when typing a branch name.
const BranchSchema = z
  .string({ error: (issue) => `must be a branch name, like main${got(issue.input)}` })
  .max(255, { error: "must be at most 255 characters" })
  .refine(
    (name) =>
      /^[^\s~^:?*[\\\x00-\x1f\x7f]+$/.test(name) &&
      !/(^[-/.])|([/.]$)|\.\.|\/\/|@\{|\.lock$|\/\./.test(name) &&
      name !== "@",
    { error: (issue) => `must be a branch name, like main${got(issue.input)}` },
  );

const fields = {
  version: VersionSchema,
  setup: stepListSchema("setup"),
  build: stepListSchema("build"),
  warmup: stepListSchema("warmup"),
  env: EnvSchema,
  limits: LimitsSchema,
  network: NetworkSchema,
  baseBranch: BranchSchema.optional(),
};

/** A versioned recipe; reads step strings, sizes and durations into one form that parses to itself. */
export const RecipeSchema = z
  .strictObject(fields, {
    error: (issue) => {
      if (issue.code === "unrecognized_keys")
        return `is not a recipe field; the fields are ${listWords(Object.keys(fields), "and")}`;
      if (issue.code !== "invalid_type") return undefined;
      return issue.input === null || issue.input === undefined
        ? `the recipe is empty; it needs at least "version: ${RECIPE_VERSION}"`
        : `the recipe must be a mapping of fields, starting with "version: ${RECIPE_VERSION}"${got(issue.input)}`;
    },
  })
  .superRefine((recipe, ctx) => {
    const total = PHASES.reduce((sum, phase) => sum + recipe[phase].length, 0);
    if (total > MAX_RECIPE_STEPS)
      ctx.addIssue({
        code: "custom",
        message: `the recipe has ${total} steps in setup, build and warmup together; at most ${MAX_RECIPE_STEPS} are allowed`,
      });
  });
/** A valid recipe in its read form: steps as `{ name, run, timeout }`, memory in MiB. */
export type Recipe = z.output<typeof RecipeSchema>;
/** A recipe as written in YAML or sent as JSON. */
export type RecipeInput = z.input<typeof RecipeSchema>;

/** The recipe of a repository that has none: no steps, no environment, default limits. */
export function defaultRecipe(): Recipe {
  return RecipeSchema.parse({ version: RECIPE_VERSION });
}
