// The stats index in D1: facts sessions report as they happen, aggregated by `/api/stats`.
import { index, integer, primaryKey, real, sqliteTable, text } from "drizzle-orm/sqlite-core";

/** One row per prompt queued in any session. */
export const statsPrompts = sqliteTable(
  "stats_prompts",
  {
    messageId: text("message_id").primaryKey(),
    sessionId: text("session_id").notNull(),
    repo: text("repo").notNull(),
    authorId: text("author_id").notNull(),
    submittedAt: integer("submitted_at").notNull(),
  },
  (t) => [index("stats_prompts_session").on(t.sessionId, t.submittedAt)],
);

/** A turn's time from starting to run to its first model output. */
export const statsFirstResponses = sqliteTable(
  "stats_first_responses",
  {
    messageId: text("message_id").primaryKey(),
    sessionId: text("session_id").notNull(),
    latencyMs: integer("latency_ms").notNull(),
    at: integer("at").notNull(),
  },
  (t) => [index("stats_first_responses_session").on(t.sessionId, t.at)],
);

/** A turn's tokens and cost; each report of a turn replaces the previous one. */
export const statsTurnUsage = sqliteTable(
  "stats_turn_usage",
  {
    messageId: text("message_id").primaryKey(),
    sessionId: text("session_id").notNull(),
    inputTokens: integer("input_tokens").notNull(),
    outputTokens: integer("output_tokens").notNull(),
    cacheReadTokens: integer("cache_read_tokens").notNull(),
    cacheWriteTokens: integer("cache_write_tokens").notNull(),
    costUsd: real("cost_usd").notNull(),
    /** When the turn last reported, which decides the day it counts for. */
    at: integer("at").notNull(),
  },
  (t) => [index("stats_turn_usage_session").on(t.sessionId, t.at)],
);

/** Pull request state changes of sessions; a redelivered change (same moment) is kept once. */
export const statsPullRequestEvents = sqliteTable(
  "stats_pull_request_events",
  {
    sessionId: text("session_id").notNull(),
    repo: text("repo").notNull(),
    number: integer("number").notNull(),
    event: text("event", {
      enum: ["opened", "approved", "changes_requested", "revised", "merged", "closed"],
    }).notNull(),
    at: integer("at").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.sessionId, t.number, t.event, t.at] }),
    index("stats_pull_request_events_session").on(t.sessionId, t.at),
  ],
);
