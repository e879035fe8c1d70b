// The agent's settings from the deployment's configuration (strings in, checked values out).
import { z } from "zod";
import { DEFAULT_RETRY, type ModelServer, type RetryPolicy } from "./model.ts";

/** The default model when neither the session nor the deployment names one. */
export const DEFAULT_MODEL = "claude-sonnet-5-5";
/** The fast model that routes requests and compares fan-out answers, unless configured. */
export const FAST_MODEL = "claude-haiku-4-5";

/** Configuration keys the agent reads. */
export interface AgentEnv {
  ANTHROPIC_API_KEY?: string;
  ANTHROPIC_BASE_URL?: string;
  TANDEM_MODEL?: string;
  TANDEM_MODEL_REHEARSAL?: string;
  TANDEM_AGENT_MAX_TOKENS?: string;
  TANDEM_AGENT_MAX_STEPS?: string;
  TANDEM_AGENT_RETRY_ATTEMPTS?: string;
  TANDEM_AGENT_RETRY_BASE_MS?: string;
}

export interface AgentOptions {
  server: ModelServer | null;
  defaultModel: string;
  maxTokens: number;
  maxSteps: number;
  retry: RetryPolicy;
  rehearsal: boolean;
}

const blankIsAbsent = (value: unknown) => (value === "" ? undefined : value);
const count = (min: number, max: number, fallback: number) =>
  z.preprocess(blankIsAbsent, z.coerce.number().int().min(min).max(max).default(fallback));

const AgentEnvSchema = z.object({
  ANTHROPIC_API_KEY: z.preprocess(blankIsAbsent, z.string().optional()),
  ANTHROPIC_BASE_URL: z.preprocess(blankIsAbsent, z.url().optional()),
  TANDEM_MODEL: z.preprocess(blankIsAbsent, z.string().min(1).default(DEFAULT_MODEL)),
  TANDEM_MODEL_REHEARSAL: z.preprocess(blankIsAbsent, z.enum(["true", "false"]).default("false")),
  TANDEM_AGENT_MAX_TOKENS: count(256, 128_000, 8_192),
  TANDEM_AGENT_MAX_STEPS: count(1, 1_000, 100),
  TANDEM_AGENT_RETRY_ATTEMPTS: count(1, 20, DEFAULT_RETRY.maxAttempts),
  TANDEM_AGENT_RETRY_BASE_MS: count(0, 60_000, DEFAULT_RETRY.baseDelayMs),
});

/** Reads the agent's settings; a wrong value throws a message naming the key. */
export function agentOptionsFrom(env: AgentEnv): AgentOptions {
  const parsed = AgentEnvSchema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new Error(`Invalid agent configuration ${issue.path.join(".")}: ${issue.message}`);
  }
  const value = parsed.data;
  const apiKey = value.ANTHROPIC_API_KEY;
  const baseURL = value.ANTHROPIC_BASE_URL;
  // A self-hosted compatible server may need no key; the SDK still wants one.
  const server: ModelServer | null =
    apiKey || baseURL ? { apiKey: apiKey ?? "none", ...(baseURL ? { baseURL } : {}) } : null;
  return {
    server,
    defaultModel: value.TANDEM_MODEL,
    maxTokens: value.TANDEM_AGENT_MAX_TOKENS,
    maxSteps: value.TANDEM_AGENT_MAX_STEPS,
    retry: {
      ...DEFAULT_RETRY,
      maxAttempts: value.TANDEM_AGENT_RETRY_ATTEMPTS,
      baseDelayMs: value.TANDEM_AGENT_RETRY_BASE_MS,
    },
    rehearsal: value.TANDEM_MODEL_REHEARSAL === "true",
  };
}
