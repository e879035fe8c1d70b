// The recipe's environment variables: names checked and reserved names refused, values kept as written.
import { z } from "zod";
import { got } from "./recipe-messages.ts";

/** The most variables a recipe may set. */
export const MAX_ENV_VARS = 100;
/** The longest value of one variable. */
export const MAX_ENV_VALUE_CHARS = 4_096;

/** Names the platform sets or depends on, each with why a recipe may not set it. */
const RESERVED_NAMES: Record<string, string> = {
  PATH: "the platform sets PATH to the system's tool directories; call project tools through npx, a script or their path",
  HOME: "the platform sets HOME to the workspace",
  USER: "the platform sets the sandbox user",
  LOGNAME: "the platform sets the sandbox user",
  SHELL: "the platform runs steps with /bin/sh",
  PWD: "the shell sets PWD",
  OLDPWD: "the shell sets OLDPWD",
  SHLVL: "the shell sets SHLVL",
  HOSTNAME: "the platform sets the sandbox's hostname",
  LD_PRELOAD: "it would load into every process, the platform's own agent included",
  LD_AUDIT: "it would load into every process, the platform's own agent included",
  PERL5OPT: "the platform's agent inside the sandbox is a Perl program",
  PERL5LIB: "the platform's agent inside the sandbox is a Perl program",
  PERLLIB: "the platform's agent inside the sandbox is a Perl program",
  PERL5DB: "the platform's agent inside the sandbox is a Perl program",
};

/** Name prefixes the platform owns, each with why. */
const RESERVED_PREFIXES: Record<string, string> = {
  TANDEM_: "names starting with TANDEM_ belong to the platform",
  GIT_: "the platform runs git in the workspace with its own identity and credentials, so names starting with GIT_ are its own",
};

/** Why a recipe may not set this variable, or null when it may. */
export function reservedReason(name: string): string | null {
  const exact = RESERVED_NAMES[name];
  if (exact !== undefined) return exact;
  const prefix = Object.keys(RESERVED_PREFIXES).find((p) => name.startsWith(p));
  return prefix === undefined ? null : (RESERVED_PREFIXES[prefix] ?? null);
}

const EnvNameSchema = z
  .string()
  .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, {
    error:
      "is not a valid variable name: use letters, digits and underscores, not starting with a digit",
  })
  .max(128, { error: "is too long for a variable name: at most 128 characters" })
  .superRefine((name, ctx) => {
    const why = reservedReason(name);
    if (why !== null) ctx.addIssue({ code: "custom", message: `is reserved: ${why}`, input: name });
  });

const EnvValueSchema = z
  .string({
    error: (issue) =>
      `must be a string; in YAML, quote numbers and booleans so they stay as written ("1.10", "true")${got(issue.input)}`,
  })
  .max(MAX_ENV_VALUE_CHARS, { error: `must be at most ${MAX_ENV_VALUE_CHARS} characters` })
  .refine((value) => !value.includes("\0"), { error: "must not contain a NUL character" });

/** Variable name → value, set for every build step and every session sandbox. */
export const EnvSchema = z
  .record(EnvNameSchema, EnvValueSchema, {
    error: (issue) =>
      issue.code === "invalid_type"
        ? `must be a mapping of variable names to values${got(issue.input)}`
        : undefined,
  })
  .default({})
  .refine((env) => Object.keys(env).length <= MAX_ENV_VARS, {
    error: `must set at most ${MAX_ENV_VARS} variables`,
  });
