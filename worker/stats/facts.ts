// Writes the facts sessions report into the stats index; each write is idempotent.
import { sql } from "drizzle-orm";
import type { StatsFact } from "../../protocol/stats.ts";
import type { Database } from "../db/database.ts";
import {
  statsFirstResponses,
  statsPrompts,
  statsPullRequestEvents,
  statsTurnUsage,
} from "./stats.sql.ts";

/** Stores one fact; reporting the same fact again changes nothing (a turn's usage is replaced). */
export async function recordFact(db: Database, fact: StatsFact): Promise<void> {
  switch (fact.type) {
    case "prompt.submitted":
      await db
        .insert(statsPrompts)
        .values({
          messageId: fact.messageId,
          sessionId: fact.sessionId,
          repo: fact.repo,
          authorId: fact.authorId,
          submittedAt: fact.at,
        })
        .onConflictDoNothing()
        .run();
      return;
    case "turn.first_response":
      await db
        .insert(statsFirstResponses)
        .values({
          messageId: fact.messageId,
          sessionId: fact.sessionId,
          latencyMs: fact.latencyMs,
          at: fact.at,
        })
        .onConflictDoNothing()
        .run();
      return;
    case "turn.usage": {
      const usage = {
        inputTokens: fact.inputTokens,
        outputTokens: fact.outputTokens,
        cacheReadTokens: fact.cacheReadTokens,
        cacheWriteTokens: fact.cacheWriteTokens,
        costUsd: fact.costUsd,
        at: fact.at,
      };
      await db
        .insert(statsTurnUsage)
        .values({ messageId: fact.messageId, sessionId: fact.sessionId, ...usage })
        .onConflictDoUpdate({
          target: statsTurnUsage.messageId,
          set: usage,
          // Reports travel separately; one that arrives after a newer one must not undo it.
          setWhere: sql`excluded.at >= ${statsTurnUsage.at}`,
        })
        .run();
      return;
    }
    case "pull_request":
      await db
        .insert(statsPullRequestEvents)
        .values({
          sessionId: fact.sessionId,
          repo: fact.repo,
          number: fact.number,
          event: fact.event,
          at: fact.at,
        })
        .onConflictDoNothing()
        .run();
      return;
    default:
      fact satisfies never;
  }
}
