// The Session object's writes to the D1 index (its status for the session list).
import { eq } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import type { SessionIndex } from "../../durable-objects/session/room.ts";
import { sessions } from "./index.sql.ts";

/** A SessionIndex that updates the session's row in D1. */
export function d1SessionIndex(binding: D1Database): SessionIndex {
  const db = drizzle(binding);
  return {
    async setStatus(sessionId, status, at) {
      await db.update(sessions).set({ status, updatedAt: at }).where(eq(sessions.id, sessionId)).run();
    },
  };
}
