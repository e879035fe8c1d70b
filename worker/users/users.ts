// People in the global index.
import { eq } from "drizzle-orm";
import type { Person } from "../../protocol/events.ts";
import { newId } from "../../protocol/ids.ts";
import type { Database } from "../db/database.ts";
import { users } from "../db/index.sql.ts";

/** A user row. */
export type User = typeof users.$inferSelect;

/** A GitHub-style login: letters, digits and single hyphens, at most 39 characters. */
export const LOGIN_PATTERN = /^[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}$/;

/** The user as events and views name them. */
export function personOf(user: User): Person {
  return { userId: user.id, login: user.login, name: user.name, avatarUrl: user.avatarUrl };
}

export async function findUser(db: Database, userId: string): Promise<User | undefined> {
  return db.select().from(users).where(eq(users.id, userId)).get();
}

export async function findUserByLogin(db: Database, login: string): Promise<User | undefined> {
  return db.select().from(users).where(eq(users.login, login)).get();
}

/** Creates a user with a new id. */
export async function createUser(
  db: Database,
  input: { login: string; name?: string | null; email?: string | null; avatarUrl?: string | null },
  now: number,
): Promise<User> {
  const row: User = {
    id: newId("usr", now),
    login: input.login,
    name: input.name ?? null,
    email: input.email ?? null,
    avatarUrl: input.avatarUrl ?? null,
    createdAt: now,
  };
  await db.insert(users).values(row).run();
  return row;
}
