// Reads and writes of the preview tables: the published ports and the sign-in links used.
import { asc, eq, lt } from "drizzle-orm";
import { previewGrants, previewPorts } from "./previews.sql.ts";
import type { SessionDb } from "./store.ts";

/** A published port as stored. */
export type PreviewRow = typeof previewPorts.$inferSelect;

/** The preview tables of one Session object. */
export class PreviewStore {
  private readonly db: SessionDb;
  constructor(db: SessionDb) {
    this.db = db;
  }

  /** Every published port, lowest first. */
  ports(): PreviewRow[] {
    return this.db.select().from(previewPorts).orderBy(asc(previewPorts.port)).all();
  }

  port(port: number): PreviewRow | undefined {
    return this.db.select().from(previewPorts).where(eq(previewPorts.port, port)).get();
  }

  /** Adds a port or replaces what is stored of it. */
  savePort(row: PreviewRow): void {
    this.db
      .insert(previewPorts)
      .values(row)
      .onConflictDoUpdate({ target: previewPorts.port, set: row })
      .run();
  }

  /** Records that `port` is exposed on `sandboxId` now (null: on no sandbox). */
  setExposedOn(port: number, sandboxId: string | null): void {
    this.db.update(previewPorts).set({ sandboxId }).where(eq(previewPorts.port, port)).run();
  }

  /** Removes a port; false when it was not published. */
  removePort(port: number): boolean {
    const removed = this.db
      .delete(previewPorts)
      .where(eq(previewPorts.port, port))
      .returning({ port: previewPorts.port })
      .all();
    return removed.length > 0;
  }

  /** Marks a sign-in link used; false when it was used before. Forgets expired ones. */
  useGrant(nonce: string, expiresAt: number, now: number): boolean {
    this.db.delete(previewGrants).where(lt(previewGrants.expiresAt, now)).run();
    const inserted = this.db
      .insert(previewGrants)
      .values({ nonce, expiresAt })
      .onConflictDoNothing()
      .returning({ nonce: previewGrants.nonce })
      .all();
    return inserted.length > 0;
  }
}
