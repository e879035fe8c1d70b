// Reads the stats index: every figure is aggregated in D1 over the sessions a person takes part in.
import { and, desc, eq, gte, inArray, sql } from "drizzle-orm";
import type { ActivePerson, StatsResponse } from "../../protocol/stats.ts";
import type { Database } from "../db/database.ts";
import { sessionMembers, sessions, users } from "../db/index.sql.ts";
import {
  statsFirstResponses,
  statsPrompts,
  statsPullRequestEvents,
  statsTurnUsage,
} from "./stats.sql.ts";
import {
  ACTIVE_WINDOW_MS,
  denseUsage,
  median,
  pullRequestCounts,
  rateOf,
  statsWindow,
} from "./summary.ts";

/** The most first-response samples the median is taken over (the newest of the window). */
export const MAX_LATENCY_SAMPLES = 10_000;
/** The most people the "prompting now" list shows. */
export const MAX_ACTIVE_PEOPLE = 50;

/** The ids of the sessions a person takes part in, as a subquery. */
function sessionsOf(db: Database, userId: string) {
  return db
    .select({ id: sessionMembers.sessionId })
    .from(sessionMembers)
    .where(eq(sessionMembers.userId, userId));
}

/** The UTC day (`YYYY-MM-DD`) of a millisecond column. */
function dayOf(column: typeof statsPrompts.submittedAt | typeof statsTurnUsage.at) {
  return sql<string>`strftime('%Y-%m-%d', ${column} / 1000, 'unixepoch')`;
}

function activeNowQuery(db: Database, userId: string, now: number) {
  const last = sql<number>`max(${statsPrompts.submittedAt})`;
  return db
    .select({
      userId: users.id,
      login: users.login,
      name: users.name,
      avatarUrl: users.avatarUrl,
      lastPromptAt: last,
    })
    .from(statsPrompts)
    .innerJoin(users, eq(users.id, statsPrompts.authorId))
    .where(
      and(
        inArray(statsPrompts.sessionId, sessionsOf(db, userId)),
        gte(statsPrompts.submittedAt, now - ACTIVE_WINDOW_MS),
      ),
    )
    .groupBy(users.id)
    .orderBy(desc(last))
    .limit(MAX_ACTIVE_PEOPLE);
}

function activePeople(
  rows: {
    userId: string;
    login: string;
    name: string | null;
    avatarUrl: string | null;
    lastPromptAt: number;
  }[],
): ActivePerson[] {
  return rows.map(({ lastPromptAt, ...person }) => ({ person, lastPromptAt }));
}

/** People who prompted in the person's sessions within the last five minutes, latest first. */
export async function activeNow(
  db: Database,
  userId: string,
  now: number,
): Promise<ActivePerson[]> {
  return activePeople(await activeNowQuery(db, userId, now).all());
}

/** Every figure of the stats page over the last `days` UTC days, in one round trip to D1. */
export async function statsOf(
  db: Database,
  userId: string,
  days: number,
  now: number,
): Promise<StatsResponse> {
  const window = statsWindow(now, days);
  const mine = sessionsOf(db, userId);
  const merged = sql<number>`coalesce(sum(exists (
    select 1 from ${statsPullRequestEvents}
    where ${statsPullRequestEvents.sessionId} = ${sessions.id}
      and ${statsPullRequestEvents.event} = 'merged')), 0)`;
  const promptDay = dayOf(statsPrompts.submittedAt);
  const usageDay = dayOf(statsTurnUsage.at);
  const [headline, prompts, usage, active, latencies, pullRequests] = await db.batch([
    db
      .select({ sessions: sql<number>`count(*)`, withMergedPr: merged })
      .from(sessionMembers)
      .innerJoin(sessions, eq(sessions.id, sessionMembers.sessionId))
      .where(and(eq(sessionMembers.userId, userId), gte(sessions.createdAt, window.since))),
    db
      .select({ day: promptDay, prompts: sql<number>`count(*)` })
      .from(statsPrompts)
      .where(
        and(inArray(statsPrompts.sessionId, mine), gte(statsPrompts.submittedAt, window.since)),
      )
      .groupBy(promptDay),
    db
      .select({
        day: usageDay,
        costUsd: sql<number>`sum(${statsTurnUsage.costUsd})`,
        inputTokens: sql<number>`sum(${statsTurnUsage.inputTokens} + ${statsTurnUsage.cacheReadTokens} + ${statsTurnUsage.cacheWriteTokens})`,
        outputTokens: sql<number>`sum(${statsTurnUsage.outputTokens})`,
      })
      .from(statsTurnUsage)
      .where(and(inArray(statsTurnUsage.sessionId, mine), gte(statsTurnUsage.at, window.since)))
      .groupBy(usageDay),
    activeNowQuery(db, userId, now),
    db
      .select({ latencyMs: statsFirstResponses.latencyMs })
      .from(statsFirstResponses)
      .where(
        and(
          inArray(statsFirstResponses.sessionId, mine),
          gte(statsFirstResponses.at, window.since),
        ),
      )
      .orderBy(desc(statsFirstResponses.at))
      .limit(MAX_LATENCY_SAMPLES),
    db
      .select({ event: statsPullRequestEvents.event, count: sql<number>`count(*)` })
      .from(statsPullRequestEvents)
      .where(
        and(
          inArray(statsPullRequestEvents.sessionId, mine),
          gte(statsPullRequestEvents.at, window.since),
        ),
      )
      .groupBy(statsPullRequestEvents.event),
  ]);
  const counted = headline[0] ?? { sessions: 0, withMergedPr: 0 };
  const samples = latencies.map((row) => row.latencyMs);
  return {
    window: { days, since: window.since, until: window.until },
    headline: {
      sessions: counted.sessions,
      withMergedPr: counted.withMergedPr,
      rate: rateOf(counted.withMergedPr, counted.sessions),
    },
    usage: denseUsage(window.days, prompts, usage),
    activeNow: activePeople(active),
    firstResponse: { p50Ms: median(samples), samples: samples.length },
    pullRequests: pullRequestCounts(pullRequests),
  };
}
