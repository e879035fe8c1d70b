// Personal API tokens: shown once, stored as hashes, revocable.
import { and, desc, eq, isNull } from "drizzle-orm";
import { randomSecret, sha256Hex } from "../../crypto/digest.ts";
import { newId } from "../../protocol/ids.ts";
import type { Database } from "../db/database.ts";
import { apiTokens } from "../db/index.sql.ts";

/** The prefix that makes Tandem tokens recognisable to secret scanners. */
export const API_TOKEN_PREFIX = "tdm";

/** A token as its owner sees it in a listing (never the secret). */
export interface ApiTokenInfo {
  id: string;
  name: string;
  createdAt: number;
  lastUsedAt: number | null;
  revokedAt: number | null;
}

/** Creates a token for a user; the secret is returned here and never again. */
export async function createApiToken(
  db: Database,
  userId: string,
  name: string,
  now: number,
): Promise<{ token: string; info: ApiTokenInfo }> {
  const token = randomSecret(API_TOKEN_PREFIX);
  const info: ApiTokenInfo = {
    id: newId("tok", now),
    name,
    createdAt: now,
    lastUsedAt: null,
    revokedAt: null,
  };
  await db
    .insert(apiTokens)
    .values({ ...info, userId, tokenHash: await sha256Hex(token) })
    .run();
  return { token, info };
}

/** The user id a live token belongs to, or null. */
export async function verifyApiToken(
  db: Database,
  token: string,
  now: number,
): Promise<string | null> {
  if (!token.startsWith(`${API_TOKEN_PREFIX}_`) || token.length > 100) return null;
  const row = await db
    .select({ id: apiTokens.id, userId: apiTokens.userId, lastUsedAt: apiTokens.lastUsedAt })
    .from(apiTokens)
    .where(and(eq(apiTokens.tokenHash, await sha256Hex(token)), isNull(apiTokens.revokedAt)))
    .get();
  if (!row) return null;
  // Recording use at most once a minute keeps reads from turning into writes.
  if (row.lastUsedAt === null || now - row.lastUsedAt > 60_000) {
    await db.update(apiTokens).set({ lastUsedAt: now }).where(eq(apiTokens.id, row.id)).run();
  }
  return row.userId;
}

export async function listApiTokens(db: Database, userId: string): Promise<ApiTokenInfo[]> {
  return db
    .select({
      id: apiTokens.id,
      name: apiTokens.name,
      createdAt: apiTokens.createdAt,
      lastUsedAt: apiTokens.lastUsedAt,
      revokedAt: apiTokens.revokedAt,
    })
    .from(apiTokens)
    .where(eq(apiTokens.userId, userId))
    .orderBy(desc(apiTokens.createdAt))
    .all();
}

/** Revokes one of the user's tokens (again is a no-op); false when they have no such token. */
export async function revokeApiToken(
  db: Database,
  userId: string,
  tokenId: string,
  now: number,
): Promise<boolean> {
  const mine = and(eq(apiTokens.id, tokenId), eq(apiTokens.userId, userId));
  const token = await db.select({ id: apiTokens.id }).from(apiTokens).where(mine).get();
  if (!token) return false;
  await db
    .update(apiTokens)
    .set({ revokedAt: now })
    .where(and(mine, isNull(apiTokens.revokedAt)))
    .run();
  return true;
}
