// How far agents may multiply: the deployment's limits on child sessions, and the check a spawn
// passes before anything is created.
import { z } from "zod";

export interface TeamLimits {
  /** How deep the tree of sessions may grow (a person's session is depth 0). */
  maxDepth: number;
  /** Children of one session working at the same time. */
  maxRunning: number;
  /** Children one session may start in its life. */
  maxChildren: number;
  /** Turns mail may start in a session in a row, before a person prompts it again. */
  maxWakes: number;
}

export const DEFAULT_TEAM_LIMITS: TeamLimits = {
  maxDepth: 2,
  maxRunning: 4,
  maxChildren: 12,
  maxWakes: 20,
};

/** Configuration keys for the limits. */
export interface TeamLimitsEnv {
  TANDEM_MAX_SESSION_DEPTH?: string;
  TANDEM_MAX_RUNNING_CHILDREN?: string;
  TANDEM_MAX_CHILDREN?: string;
  TANDEM_MAX_MAIL_WAKES?: string;
}

const blankIsAbsent = (value: unknown) => (value === "" ? undefined : value);
const count = (min: number, max: number, fallback: number) =>
  z.preprocess(blankIsAbsent, z.coerce.number().int().min(min).max(max).default(fallback));

const LimitsEnvSchema = z.object({
  TANDEM_MAX_SESSION_DEPTH: count(0, 10, DEFAULT_TEAM_LIMITS.maxDepth),
  TANDEM_MAX_RUNNING_CHILDREN: count(1, 100, DEFAULT_TEAM_LIMITS.maxRunning),
  TANDEM_MAX_CHILDREN: count(0, 1_000, DEFAULT_TEAM_LIMITS.maxChildren),
  TANDEM_MAX_MAIL_WAKES: count(0, 1_000, DEFAULT_TEAM_LIMITS.maxWakes),
});

/** Reads the limits; a wrong value throws a message naming the key. */
export function teamLimitsFrom(env: TeamLimitsEnv): TeamLimits {
  const parsed = LimitsEnvSchema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new Error(`Invalid team limit ${issue.path.join(".")}: ${issue.message}`);
  }
  const value = parsed.data;
  return {
    maxDepth: value.TANDEM_MAX_SESSION_DEPTH,
    maxRunning: value.TANDEM_MAX_RUNNING_CHILDREN,
    maxChildren: value.TANDEM_MAX_CHILDREN,
    maxWakes: value.TANDEM_MAX_MAIL_WAKES,
  };
}

/** Why a session may not start another child now, or null when it may. */
export function spawnRefusal(
  limits: TeamLimits,
  session: { depth: number; running: number; total: number },
): string | null {
  if (session.depth + 1 > limits.maxDepth) {
    return `Sessions may be nested ${limits.maxDepth} deep and this one is at depth ${session.depth}, so it cannot start children. Do the work here, or ask the session that started you.`;
  }
  if (session.total >= limits.maxChildren) {
    return `This session has already started ${session.total} sessions, the most one session may start (${limits.maxChildren}). Reuse a child by sending it a message instead.`;
  }
  if (session.running >= limits.maxRunning) {
    return `${session.running} children are working already, the most at once (${limits.maxRunning}). Wait for one to finish (wait_for_sessions) or cancel one, then try again.`;
  }
  return null;
}
