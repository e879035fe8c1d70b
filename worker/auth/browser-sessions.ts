// Browser sign-ins: a D1 row per sign-in, named by a signed HttpOnly cookie.
import { and, eq, gt, isNull } from "drizzle-orm";
import { sign, unsign } from "../../crypto/signing.ts";
import { newId } from "../../protocol/ids.ts";
import type { Database } from "../db/database.ts";
import { authSessions } from "../db/index.sql.ts";

/** The cookie's name. */
export const SESSION_COOKIE = "tandem_session";
/** How long a browser stays signed in. */
export const SESSION_TTL_MS = 30 * 24 * 3_600_000;

/** Starts a sign-in and returns the signed cookie value. */
export async function startBrowserSession(
  db: Database,
  userId: string,
  secret: string,
  now: number,
): Promise<string> {
  const id = newId("aus", now);
  await db
    .insert(authSessions)
    .values({ id, userId, createdAt: now, expiresAt: now + SESSION_TTL_MS })
    .run();
  return sign(id, secret);
}

/** The user id behind a cookie value, if its signature holds and the sign-in is live. */
export async function resolveBrowserSession(
  db: Database,
  cookieValue: string,
  secret: string,
  now: number,
): Promise<{ sessionId: string; userId: string } | null> {
  const id = await unsign(cookieValue, secret);
  if (!id) return null;
  const row = await db
    .select({ userId: authSessions.userId })
    .from(authSessions)
    .where(
      and(eq(authSessions.id, id), isNull(authSessions.revokedAt), gt(authSessions.expiresAt, now)),
    )
    .get();
  return row ? { sessionId: id, userId: row.userId } : null;
}

/** Ends a sign-in so its cookie stops working even if it was copied. */
export async function endBrowserSession(
  db: Database,
  sessionId: string,
  now: number,
): Promise<void> {
  await db.update(authSessions).set({ revokedAt: now }).where(eq(authSessions.id, sessionId)).run();
}
