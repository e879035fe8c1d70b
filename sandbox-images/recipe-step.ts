// One recipe step: a shell command written as a string, or a mapping with a name and a timeout.
import { z } from "zod";
import { got, strictFields } from "./recipe-messages.ts";

/** A step's timeout when the recipe gives none. */
export const DEFAULT_STEP_TIMEOUT_SEC = 900;
/** The longest a step may run. */
export const MAX_STEP_TIMEOUT_SEC = 3_600;
/** The longest step name; the phase prefix (`warmup: `) must still fit the host's 100. */
export const MAX_STEP_NAME_CHARS = 80;
/** The longest command; longer scripts belong in a file in the repository. */
export const MAX_STEP_RUN_CHARS = 10_000;

const DURATION = /^(\d+)\s*(s|m|h)$/;
const SECONDS_PER_UNIT = { s: 1, m: 60, h: 3_600 } as const;

/** Seconds, as a whole number or a duration string: `900`, `"90s"`, `"15m"`, `"1h"`. */
export const TimeoutSchema = z
  .union([z.number(), z.string()], {
    error: (issue) => `must be a number of seconds or a duration like "15m"${got(issue.input)}`,
  })
  .transform((value, ctx) => {
    const seconds = toSeconds(value);
    const problem =
      seconds === null
        ? `must be a number of seconds or a duration like "15m"`
        : !Number.isInteger(seconds)
          ? "must be a whole number of seconds"
          : seconds < 1
            ? "must be at least 1 second"
            : seconds > MAX_STEP_TIMEOUT_SEC
              ? `must be at most ${MAX_STEP_TIMEOUT_SEC} seconds, one hour`
              : null;
    if (problem === null && seconds !== null) return seconds;
    ctx.issues.push({ code: "custom", message: `${problem}${got(value)}`, input: value });
    return z.NEVER;
  });

function toSeconds(value: number | string): number | null {
  if (typeof value === "number") return Number.isFinite(value) ? value : null;
  const match = DURATION.exec(value.trim());
  if (!match) return null;
  return Number(match[1]) * SECONDS_PER_UNIT[match[2] as keyof typeof SECONDS_PER_UNIT];
}

const RunSchema = z
  .string({
    error: (issue) =>
      issue.input === undefined
        ? "is required: the shell command to run"
        : `must be a shell command, as a string${got(issue.input)}`,
  })
  .refine((run) => run.trim() !== "", { error: "must not be empty" })
  .refine((run) => run.length <= MAX_STEP_RUN_CHARS, {
    error: `must be at most ${MAX_STEP_RUN_CHARS} characters; put a long script in a file in the repository and run that`,
  });

const NameSchema = z
  .string({ error: (issue) => `must be a string${got(issue.input)}` })
  .trim()
  .min(1, { error: "must not be empty" })
  .max(MAX_STEP_NAME_CHARS, { error: `must be at most ${MAX_STEP_NAME_CHARS} characters` })
  .refine((name) => !/[\r\n]/.test(name), { error: "must be one line" });

const StepFieldsSchema = strictFields(
  { name: NameSchema.optional(), run: RunSchema, timeout: TimeoutSchema.optional() },
  "step",
);

/** A step as written (a command string or `{ name?, run, timeout? }`), read as `{ name, run, timeout }`. */
export const StepSchema = z
  .union([RunSchema, StepFieldsSchema], {
    error: (issue) =>
      `must be a shell command, or a mapping with run (and optionally name and timeout)${got(issue.input)}`,
  })
  .transform((step) => {
    const fields = typeof step === "string" ? { run: step } : step;
    return {
      name: fields.name ?? nameOf(fields.run),
      run: fields.run,
      timeout: fields.timeout ?? DEFAULT_STEP_TIMEOUT_SEC,
    };
  });
/** A step in its read form: every field present, timeout in seconds. */
export type Step = z.output<typeof StepSchema>;

/** A step's name when it has none: the command's first line, shortened to fit. */
export function nameOf(run: string): string {
  const lines = run.split("\n").map((line) => line.trim().replace(/\s+/g, " "));
  const first = lines.find((line) => line !== "") ?? "";
  const more = lines.filter((line) => line !== "").length > 1 ? " …" : "";
  const room = MAX_STEP_NAME_CHARS - more.length;
  return first.length > room ? `${first.slice(0, room - 1)}…` : `${first}${more}`;
}

/** A list of steps of one phase (setup, build or warmup), empty when absent. */
export function stepListSchema(phase: string) {
  return z
    .array(StepSchema, {
      error: (issue) =>
        `must be a list of steps, each on its own line starting with "- "${got(issue.input)}`,
    })
    .default([])
    .superRefine((steps, ctx) => {
      const seen = new Map<string, number>();
      steps.forEach((step, index) => {
        const first = seen.get(step.name);
        if (first === undefined) seen.set(step.name, index);
        else
          ctx.addIssue({
            code: "custom",
            path: [index],
            message: `repeats the step name "${step.name}" of ${phase}[${first}]; give one of them a distinct name`,
          });
      });
    });
}
