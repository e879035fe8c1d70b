// Turns zod's issues about a recipe into one sentence per problem, each with the path it is about.
import type { z } from "zod";
import { got } from "./recipe-messages.ts";

/** One problem in a recipe: the path inside it and what is wrong there. */
export interface RecipeIssue {
  path: Array<string | number>;
  message: string;
}

const TYPE_WORDS: Record<string, string> = {
  object: "a mapping",
  array: "a list",
  int: "a whole number",
};

/** Messages for the few checks that have no wording of their own in the recipe schemas. */
export const fallbackMessages: z.core.$ZodErrorMap = (issue) => {
  switch (issue.code) {
    case "invalid_type":
      return issue.input === undefined
        ? "is required"
        : `must be ${TYPE_WORDS[issue.expected] ?? `a ${issue.expected}`}${got(issue.input)}`;
    case "too_big":
      return `must be at most ${String(issue.maximum)}${got(issue.input)}`;
    case "too_small":
      return `must be at least ${String(issue.minimum)}${got(issue.input)}`;
    default:
      return `is not valid${got(issue.input)}`;
  }
};

/** Flattens zod issues: one per unknown key, the key's own message, and the union branch that fits. */
export function toRecipeIssues(
  issues: readonly z.core.$ZodIssue[],
  prefix: ReadonlyArray<string | number> = [],
): RecipeIssue[] {
  return issues.flatMap((issue): RecipeIssue[] => {
    const path = [
      ...prefix,
      ...issue.path.map((key) => (typeof key === "number" ? key : String(key))),
    ];
    switch (issue.code) {
      case "unrecognized_keys":
        return issue.keys.map((key) => ({ path: [...path, key], message: issue.message }));
      case "invalid_key":
        return [{ path, message: issue.issues[0]?.message ?? issue.message }];
      case "invalid_union": {
        // A step is a string or a mapping: report the branch written, not both.
        const fitting = issue.errors.filter(
          (branch) =>
            !branch.some((inner) => inner.code === "invalid_type" && inner.path.length === 0),
        );
        const only = fitting.length === 1 ? fitting[0] : undefined;
        return only === undefined ? [{ path, message: issue.message }] : toRecipeIssues(only, path);
      }
      default:
        return [{ path, message: issue.message }];
    }
  });
}
