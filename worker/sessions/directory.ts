// The D1 side of sessions: index rows and memberships, for listing and quick access checks.
import { and, desc, eq, inArray, or, sql, type SQL } from "drizzle-orm";
import type { SessionSummary } from "../../protocol/api.ts";
import type { Role } from "../../protocol/events.ts";
import type { Database } from "../db/database.ts";
import { pullRequests } from "../db/github.sql.ts";
import { sessionMembers, sessions, users } from "../db/index.sql.ts";

/** Records a new session and its owner. */
export async function indexSession(
  db: Database,
  row: {
    id: string;
    repo: string;
    title: string;
    createdBy: string;
    createdAt: number;
    status: SessionSummary["status"];
  },
): Promise<void> {
  await db.batch([
    db.insert(sessions).values({ ...row, updatedAt: row.createdAt }),
    db
      .insert(sessionMembers)
      .values({ sessionId: row.id, userId: row.createdBy, role: "owner", joinedAt: row.createdAt }),
  ]);
}

/** Records (or updates) a membership after the Session object accepted it. */
export async function indexMember(
  db: Database,
  sessionId: string,
  userId: string,
  role: Role,
  at: number,
): Promise<void> {
  await db
    .insert(sessionMembers)
    .values({ sessionId, userId, role, joinedAt: at })
    .onConflictDoUpdate({
      target: [sessionMembers.sessionId, sessionMembers.userId],
      set: { role },
    })
    .run();
}

/** Forgets a membership after the Session object took the person out. */
export async function dropMember(db: Database, sessionId: string, userId: string): Promise<void> {
  await db
    .delete(sessionMembers)
    .where(and(eq(sessionMembers.sessionId, sessionId), eq(sessionMembers.userId, userId)))
    .run();
}

/** Whether the session exists in the index. */
export async function sessionExists(db: Database, sessionId: string): Promise<boolean> {
  return (
    (await db
      .select({ id: sessions.id })
      .from(sessions)
      .where(eq(sessions.id, sessionId))
      .get()) !== undefined
  );
}

/** The user's role in a session per the index, or null for outsiders. */
export async function memberRole(
  db: Database,
  sessionId: string,
  userId: string,
): Promise<Role | null> {
  const row = await db
    .select({ role: sessionMembers.role })
    .from(sessionMembers)
    .where(and(eq(sessionMembers.sessionId, sessionId), eq(sessionMembers.userId, userId)))
    .get();
  return row?.role ?? null;
}

/** Sessions the user takes part in, newest activity first, optionally filtered by a search text. */
export async function listSessionsOf(
  db: Database,
  userId: string,
  search?: string,
  limit = 100,
): Promise<SessionSummary[]> {
  const pattern = search || null;
  const rows = await db
    .select({
      id: sessions.id,
      repo: sessions.repo,
      title: sessions.title,
      status: sessions.status,
      createdAt: sessions.createdAt,
      updatedAt: sessions.updatedAt,
      role: sessionMembers.role,
      pullRequestNumber: pullRequests.number,
      pullRequestUrl: pullRequests.url,
      pullRequestState: pullRequests.state,
    })
    .from(sessionMembers)
    .innerJoin(sessions, eq(sessions.id, sessionMembers.sessionId))
    .leftJoin(pullRequests, eq(pullRequests.sessionId, sessions.id))
    .where(
      pattern
        ? and(
            eq(sessionMembers.userId, userId),
            or(contains(sessions.title, pattern), contains(sessions.repo, pattern)),
          )
        : eq(sessionMembers.userId, userId),
    )
    .orderBy(desc(sessions.updatedAt))
    .limit(limit)
    .all();
  // Who is in each listed session, in one query.
  const people = rows.length
    ? await db
        .select({
          sessionId: sessionMembers.sessionId,
          userId: users.id,
          login: users.login,
          name: users.name,
          avatarUrl: users.avatarUrl,
        })
        .from(sessionMembers)
        .innerJoin(users, eq(users.id, sessionMembers.userId))
        .where(
          inArray(
            sessionMembers.sessionId,
            rows.map((row) => row.id),
          ),
        )
        .all()
    : [];
  return rows.map(({ pullRequestNumber, pullRequestUrl, pullRequestState, ...row }) => ({
    ...row,
    pullRequest:
      pullRequestNumber !== null && pullRequestUrl !== null && pullRequestState !== null
        ? { number: pullRequestNumber, url: pullRequestUrl, state: pullRequestState }
        : null,
    people: people
      .filter((person) => person.sessionId === row.id)
      .map(({ sessionId: _sessionId, ...person }) => person),
  }));
}

/** Whether the column holds `text`, ignoring ASCII case. Not LIKE: D1 refuses LIKE patterns over
 * 50 bytes, and a search may be longer (and holds `%` and `_` as plain characters). */
function contains(column: typeof sessions.title | typeof sessions.repo, text: string): SQL {
  return sql`instr(lower(${column}), lower(${text})) > 0`;
}
