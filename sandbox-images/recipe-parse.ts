// Reads a recipe from its YAML file or an API body into a Recipe, or into located sentences saying what is wrong.
import { RecipeSchema, VersionSchema } from "./recipe.ts";
import type { Recipe } from "./recipe.ts";
import { fallbackMessages, toRecipeIssues } from "./recipe-issues.ts";
import type { RecipeIssue } from "./recipe-issues.ts";
import { readYaml } from "./recipe-yaml.ts";

/** The largest recipe file read; a recipe is a few dozen lines. */
export const MAX_RECIPE_CHARS = 64 * 1024;

/** The most problems listed; past them, one line says how many more there are. */
export const MAX_REPORTED_ERRORS = 50;

/** One problem in a recipe, located for the person who wrote it. */
export interface RecipeError {
  /** The recipe file, or null for a recipe sent through the API. */
  file: string | null;
  /** Where in the recipe: `setup[2].timeout`, `env.PATH`; empty for the recipe as a whole. */
  path: string;
  /** The 1-based line in the YAML file, when known. */
  line: number | null;
  /** What is wrong, as the rest of a sentence after the path: `must be at most 3600 seconds (got 7200)`. */
  message: string;
}

/** The outcome of reading a recipe: the recipe, or every problem found. */
export type RecipeResult = { ok: true; recipe: Recipe } | { ok: false; errors: RecipeError[] };

/** Reads a recipe file's YAML text; never throws. */
export function parseRecipe(text: string, source: { path: string }): RecipeResult {
  const at = (line: number | null, message: string): RecipeError => ({
    file: source.path,
    path: "",
    line,
    message,
  });
  if (text.length > MAX_RECIPE_CHARS)
    return {
      ok: false,
      errors: [
        at(
          null,
          `the recipe file is ${text.length} characters; at most ${MAX_RECIPE_CHARS} are read`,
        ),
      ],
    };
  const read = readYaml(text);
  if (!read.ok)
    return { ok: false, errors: read.errors.map((error) => at(error.line, error.message)) };
  const checked = checkRecipe(read.value);
  if (checked.ok) return checked;
  const errors = checked.issues.map((issue) => ({
    file: source.path,
    path: formatPath(issue.path),
    line: read.lineOf(issue.path),
    message: issue.message,
  }));
  return {
    ok: false,
    errors: capped(errors.sort((a, b) => (a.line ?? Infinity) - (b.line ?? Infinity))),
  };
}

/** Reads a recipe sent as JSON through the API; never throws. */
export function parseRecipeJson(value: unknown): RecipeResult {
  const checked = checkRecipe(value);
  if (checked.ok) return checked;
  const errors = checked.issues.map((issue) => ({
    file: null,
    path: formatPath(issue.path),
    line: null,
    message: issue.message,
  }));
  return { ok: false, errors: capped(errors) };
}

/** One line a person reads: `.tandem/image.yaml:12: setup[2].timeout: must be at most 3600 seconds (got 7200)`. */
export function formatRecipeError(error: RecipeError): string {
  const where =
    error.file === null ? "" : `${error.file}${error.line === null ? "" : `:${error.line}`}: `;
  return `${where}${error.path === "" ? "" : `${error.path}: `}${error.message}`;
}

/** A path as written in messages: `setup[2].timeout`, `env["1X"]`. */
export function formatPath(path: ReadonlyArray<string | number>): string {
  return path
    .map((key, index) => {
      if (typeof key === "number") return `[${key}]`;
      if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(key)) return index === 0 ? key : `.${key}`;
      return `[${JSON.stringify(key)}]`;
    })
    .join("");
}

function capped(errors: RecipeError[]): RecipeError[] {
  if (errors.length <= MAX_REPORTED_ERRORS) return errors;
  const rest = errors.length - MAX_REPORTED_ERRORS;
  const file = errors[0]?.file ?? null;
  return [
    ...errors.slice(0, MAX_REPORTED_ERRORS),
    { file, path: "", line: null, message: `and ${rest} more problem${rest === 1 ? "" : "s"}` },
  ];
}

type Checked = { ok: true; recipe: Recipe } | { ok: false; issues: RecipeIssue[] };

function checkRecipe(value: unknown): Checked {
  // Another version is another format: its other fields would only add noise.
  if (
    typeof value === "object" &&
    value !== null &&
    "version" in value &&
    value.version !== undefined
  ) {
    const version = VersionSchema.safeParse(value.version, { reportInput: true });
    if (!version.success)
      return { ok: false, issues: toRecipeIssues(version.error.issues, ["version"]) };
  }
  const parsed = RecipeSchema.safeParse(value, { error: fallbackMessages, reportInput: true });
  return parsed.success
    ? { ok: true, recipe: parsed.data }
    : { ok: false, issues: toRecipeIssues(parsed.error.issues) };
}
