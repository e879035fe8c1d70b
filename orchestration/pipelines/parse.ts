// Reads a pipeline from its YAML file or an API body into a definition, or into located sentences saying what is wrong.
import { fallbackMessages, toRecipeIssues } from "../../sandbox-images/recipe-issues.ts";
import type { RecipeIssue } from "../../sandbox-images/recipe-issues.ts";
import { formatPath } from "../../sandbox-images/recipe-parse.ts";
import { readYaml } from "../../sandbox-images/recipe-yaml.ts";
import { PipelineInputSchema } from "./definition.ts";
import type { PipelineDefinition } from "./definition.ts";

/** Where a repository keeps its pipelines, one per file. */
export const PIPELINE_FILES = ".tandem/pipelines/*.yaml";
/** The largest pipeline file read: twelve roles of long instructions fit well inside it. */
export const MAX_PIPELINE_CHARS = 256 * 1024;
/** The most problems listed; past them, one line says how many more there are. */
export const MAX_REPORTED_ISSUES = 50;

/** One problem in a pipeline, located for the person who wrote it. */
export interface PipelineIssue {
  /** The 1-based line in the YAML file; null for an API body or a problem with no one place. */
  line: number | null;
  /** Where in the pipeline: `roles[2].next[0].goto`; empty for the pipeline as a whole. */
  path: string;
  /** What is wrong, as the rest of a sentence after the path. */
  message: string;
}

/** The outcome of reading a pipeline: the definition, or every problem found and the file they are in. */
export type PipelineParse =
  | { ok: true; value: PipelineDefinition }
  | { ok: false; file: string | null; issues: PipelineIssue[] };

/** Reads a pipeline file's YAML text; never throws. */
export function parsePipelineYaml(text: string, file: string): PipelineParse {
  const whole = (line: number | null, message: string) => ({ line, path: "", message });
  if (text.length > MAX_PIPELINE_CHARS)
    return {
      ok: false,
      file,
      issues: [
        whole(
          null,
          `the file is ${text.length} characters; at most ${MAX_PIPELINE_CHARS} are read`,
        ),
      ],
    };
  const read = readYaml(text);
  if (!read.ok)
    return {
      ok: false,
      file,
      issues: read.errors.map((error) => whole(error.line, error.message)),
    };
  const checked = check(read.value);
  if (checked.ok) return checked;
  const issues = checked.issues.map((issue) => ({
    line: read.lineOf(issue.path),
    path: formatPath(issue.path),
    message: issue.message,
  }));
  return { ok: false, file, issues: capped(issues.sort(byLine)) };
}

/** Reads a pipeline sent as JSON through the API; never throws. */
export function parsePipelineValue(value: unknown): PipelineParse {
  const checked = check(value);
  if (checked.ok) return checked;
  const issues = checked.issues.map((issue) => ({
    line: null,
    path: formatPath(issue.path),
    message: issue.message,
  }));
  return { ok: false, file: null, issues: capped(issues) };
}

/** One line a person reads: `.tandem/pipelines/review-loop.yaml:14: roles[2].next[0].goto: …`. */
export function formatPipelineIssue(issue: PipelineIssue, file: string | null): string {
  const where = file === null ? "" : `${file}${issue.line === null ? "" : `:${issue.line}`}: `;
  return `${where}${issue.path === "" ? "" : `${issue.path}: `}${issue.message}`;
}

type Checked = { ok: true; value: PipelineDefinition } | { ok: false; issues: RecipeIssue[] };

function check(value: unknown): Checked {
  if (value === null || value === undefined)
    return {
      ok: false,
      issues: [{ path: [], message: "the pipeline is empty; it needs a name and roles" }],
    };
  const parsed = PipelineInputSchema.safeParse(value, {
    error: fallbackMessages,
    reportInput: true,
  });
  return parsed.success
    ? { ok: true, value: parsed.data }
    : { ok: false, issues: toRecipeIssues(parsed.error.issues) };
}

function byLine(a: PipelineIssue, b: PipelineIssue): number {
  return (a.line ?? Infinity) - (b.line ?? Infinity);
}

function capped(issues: PipelineIssue[]): PipelineIssue[] {
  const rest = issues.length - MAX_REPORTED_ISSUES;
  if (rest <= 0) return issues;
  const more = {
    line: null,
    path: "",
    message: `and ${rest} more problem${rest === 1 ? "" : "s"}`,
  };
  return [...issues.slice(0, MAX_REPORTED_ISSUES), more];
}
