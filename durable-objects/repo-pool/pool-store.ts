// Reads and writes of the RepoPool object's SQLite (synchronous, so a handler that does not await is atomic).
import { asc, desc, eq, gt, and, lt, ne, sql } from "drizzle-orm";
import type { DrizzleSqliteDODatabase } from "drizzle-orm/durable-sqlite";
import type { BuildLogLine } from "../../protocol/registry.ts";
import * as schema from "./pool.sql.ts";
import { buildLogs, poolState, warmSandboxes } from "./pool.sql.ts";

/** The drizzle handle over the pool's storage. */
export type PoolDb = DrizzleSqliteDODatabase<typeof schema>;
/** The pool's single state row. */
export type PoolStateRow = typeof poolState.$inferSelect;

/** How many log lines are kept per pool (older builds' lines go first). */
export const MAX_LOG_LINES = 20_000;

export class PoolStore {
  private readonly db: PoolDb;
  constructor(db: PoolDb) {
    this.db = db;
  }

  state(): PoolStateRow | undefined {
    return this.db.select().from(poolState).where(eq(poolState.id, 1)).get();
  }

  /** The state row, created for `repo` on first use. */
  ensure(repo: string): PoolStateRow {
    this.db.insert(poolState).values({ id: 1, repo }).onConflictDoNothing().run();
    return this.state()!;
  }

  update(changes: Partial<Omit<PoolStateRow, "id">>): void {
    this.db.update(poolState).set(changes).where(eq(poolState.id, 1)).run();
  }

  appendLog(line: Omit<BuildLogLine, "seq">): BuildLogLine {
    const row = this.db.insert(buildLogs).values(line).returning({ seq: buildLogs.seq }).get();
    if (row.seq % 1_000 === 0) {
      this.db
        .delete(buildLogs)
        .where(lt(buildLogs.seq, row.seq - MAX_LOG_LINES))
        .run();
    }
    return { ...line, seq: row.seq };
  }

  logOf(imageId: string, after = 0, limit = 5_000): BuildLogLine[] {
    return this.db
      .select()
      .from(buildLogs)
      .where(and(eq(buildLogs.imageId, imageId), gt(buildLogs.seq, after)))
      .orderBy(asc(buildLogs.seq))
      .limit(limit)
      .all();
  }

  addWarm(sandboxId: string, imageId: string, at: number): void {
    this.db.insert(warmSandboxes).values({ sandboxId, imageId, createdAt: at }).run();
  }

  warmCount(imageId: string): number {
    return (
      this.db
        .select({ n: sql<number>`count(*)` })
        .from(warmSandboxes)
        .where(eq(warmSandboxes.imageId, imageId))
        .get()?.n ?? 0
    );
  }

  /** Removes and returns the oldest warm sandbox on an image. */
  takeWarm(imageId: string): string | null {
    const row = this.db
      .select()
      .from(warmSandboxes)
      .where(eq(warmSandboxes.imageId, imageId))
      .orderBy(asc(warmSandboxes.createdAt))
      .limit(1)
      .get();
    if (!row) return null;
    this.db.delete(warmSandboxes).where(eq(warmSandboxes.sandboxId, row.sandboxId)).run();
    return row.sandboxId;
  }

  /** Removes and returns warm sandboxes on any other image. */
  takeStale(currentImageId: string): string[] {
    const rows = this.db
      .select()
      .from(warmSandboxes)
      .where(ne(warmSandboxes.imageId, currentImageId))
      .all();
    for (const row of rows)
      this.db.delete(warmSandboxes).where(eq(warmSandboxes.sandboxId, row.sandboxId)).run();
    return rows.map((row) => row.sandboxId);
  }

  lastLogSeq(): number {
    return (
      this.db
        .select({ seq: buildLogs.seq })
        .from(buildLogs)
        .orderBy(desc(buildLogs.seq))
        .limit(1)
        .get()?.seq ?? 0
    );
  }
}
