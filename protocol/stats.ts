// Stats: the facts sessions report to the D1 index as they happen, and what `/api/stats` answers.
import { z } from "zod";
import { PersonSchema } from "./events.ts";

/** Where a session's pull request is in its life. */
export const PullRequestEventSchema = z.enum([
  "opened",
  "approved",
  /** A reviewer asked for changes. */
  "changes_requested",
  /** New commits were pushed to the open pull request. */
  "revised",
  "merged",
  "closed",
]);
export type PullRequestEvent = z.infer<typeof PullRequestEventSchema>;

/** Something a session reports to the stats index; each fact is written once (retries are no-ops). */
export const StatsFactSchema = z.discriminatedUnion("type", [
  /** A person queued a prompt. */
  z.object({
    type: z.literal("prompt.submitted"),
    sessionId: z.string(),
    messageId: z.string(),
    repo: z.string(),
    authorId: z.string(),
    at: z.number(),
  }),
  /** A turn's first model output arrived, `latencyMs` after the turn started to run. */
  z.object({
    type: z.literal("turn.first_response"),
    sessionId: z.string(),
    messageId: z.string(),
    latencyMs: z.number().int().min(0),
    at: z.number(),
  }),
  /** A turn's usage so far (the latest report of a turn replaces the earlier ones). */
  z.object({
    type: z.literal("turn.usage"),
    sessionId: z.string(),
    messageId: z.string(),
    inputTokens: z.number().int().min(0),
    outputTokens: z.number().int().min(0),
    cacheReadTokens: z.number().int().min(0),
    cacheWriteTokens: z.number().int().min(0),
    costUsd: z.number().min(0),
    at: z.number(),
  }),
  /** A session's pull request changed state. */
  z.object({
    type: z.literal("pull_request"),
    sessionId: z.string(),
    repo: z.string(),
    number: z.number().int().positive(),
    event: PullRequestEventSchema,
    at: z.number(),
  }),
]);
export type StatsFact = z.infer<typeof StatsFactSchema>;

/** The longest window `/api/stats` aggregates, in days. */
export const MAX_STATS_DAYS = 365;

/** GET /api/stats query. */
export const StatsQuerySchema = z.object({
  days: z.coerce.number().int().min(1).max(MAX_STATS_DAYS).default(30),
});

/** Someone who prompted in one of my sessions within the last five minutes. */
export const ActivePersonSchema = z.object({
  person: PersonSchema,
  lastPromptAt: z.number(),
});
export type ActivePerson = z.infer<typeof ActivePersonSchema>;

/** One UTC day of usage. */
export const UsageDaySchema = z.object({
  /** `YYYY-MM-DD`, UTC. */
  day: z.string(),
  prompts: z.number().int().min(0),
  costUsd: z.number().min(0),
  /** Every input token the model read, cached or not. */
  inputTokens: z.number().int().min(0),
  outputTokens: z.number().int().min(0),
});
export type UsageDay = z.infer<typeof UsageDaySchema>;

/** GET /api/stats/active-now answer. */
export const ActiveNowResponseSchema = z.object({
  activeNow: z.array(ActivePersonSchema),
  at: z.number(),
});
export type ActiveNowResponse = z.infer<typeof ActiveNowResponseSchema>;

/** GET /api/stats answer: figures over the sessions the signed-in person takes part in. */
export const StatsResponseSchema = z.object({
  window: z.object({ days: z.number().int(), since: z.number(), until: z.number() }),
  headline: z.object({
    /** Sessions created in the window. */
    sessions: z.number().int().min(0),
    /** Of those, the ones whose pull request was merged. */
    withMergedPr: z.number().int().min(0),
    /** `withMergedPr / sessions`, or null without sessions. */
    rate: z.number().min(0).max(1).nullable(),
  }),
  /** One entry per day of the window, oldest first, days without activity included. */
  usage: z.array(UsageDaySchema),
  activeNow: z.array(ActivePersonSchema),
  firstResponse: z.object({
    /** Median time from a turn starting to its first model output; null without samples. */
    p50Ms: z.number().nullable(),
    samples: z.number().int().min(0),
  }),
  /** Pull request events in the window. */
  pullRequests: z.object({
    opened: z.number().int().min(0),
    approved: z.number().int().min(0),
    changesRequested: z.number().int().min(0),
    revised: z.number().int().min(0),
    merged: z.number().int().min(0),
    closed: z.number().int().min(0),
  }),
});
export type StatsResponse = z.infer<typeof StatsResponseSchema>;
