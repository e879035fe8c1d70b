// The Session object's writes to the D1 index: the status shown in session lists.
import type { SessionIndex } from "./room.ts";

/** A SessionIndex over the D1 binding; the row belongs to the `sessions` table of the global index. */
export function d1SessionIndex(db: D1Database): SessionIndex {
  return {
    async setStatus(sessionId, status, at) {
      await db
        .prepare("UPDATE sessions SET status = ?, updated_at = ? WHERE id = ?")
        .bind(status, at, sessionId)
        .run();
    },
  };
}
