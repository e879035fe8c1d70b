// Reads and writes of the image registry in D1.
import { and, desc, eq, inArray, isNull, lt, notInArray, sql } from "drizzle-orm";
import type { DrizzleD1Database } from "drizzle-orm/d1";
import { imageRefs, images, repositories } from "./registry.sql.ts";

/** A repository row. */
export type Repository = typeof repositories.$inferSelect;
/** An image row. */
export type ImageRow = typeof images.$inferSelect;
/** Why a build started. */
export type BuildReason = ImageRow["reason"];

// Any drizzle D1 handle, whatever schema it was opened with.
type Db = DrizzleD1Database<Record<string, unknown>>;

/** The registry over a D1 database. */
export class Registry {
  private readonly db: Db;
  constructor(db: Db) {
    this.db = db;
  }

  async register(row: Omit<Repository, "headCommit" | "checkedAt">): Promise<Repository> {
    await this.db.insert(repositories).values(row).run();
    return { ...row, headCommit: null, checkedAt: null };
  }

  async repository(repo: string): Promise<Repository | undefined> {
    return this.db.select().from(repositories).where(eq(repositories.repo, repo)).get();
  }

  async repositoryList(): Promise<Repository[]> {
    return this.db.select().from(repositories).orderBy(repositories.repo).all();
  }

  async setRecipe(repo: string, recipe: string | null): Promise<void> {
    await this.db.update(repositories).set({ recipe }).where(eq(repositories.repo, repo)).run();
  }

  async setHead(repo: string, commit: string, at: number): Promise<void> {
    await this.db
      .update(repositories)
      .set({ headCommit: commit, checkedAt: at })
      .where(eq(repositories.repo, repo))
      .run();
  }

  async buildStarted(row: {
    id: string;
    repo: string;
    commit: string;
    reason: BuildReason;
    createdAt: number;
  }): Promise<void> {
    await this.db
      .insert(images)
      .values({ ...row, status: "building" })
      .run();
  }

  async buildFinished(
    id: string,
    result: { ok: true; sizeBytes: number } | { ok: false; error: string },
    at: number,
  ): Promise<void> {
    await this.db
      .update(images)
      .set(
        result.ok
          ? { status: "ready", sizeBytes: result.sizeBytes, finishedAt: at }
          : { status: "failed", error: result.error, finishedAt: at },
      )
      .where(eq(images.id, id))
      .run();
  }

  async imagesOf(repo: string, limit = 50): Promise<ImageRow[]> {
    return this.db
      .select()
      .from(images)
      .where(eq(images.repo, repo))
      .orderBy(desc(images.createdAt))
      .limit(limit)
      .all();
  }

  async image(id: string): Promise<ImageRow | undefined> {
    return this.db.select().from(images).where(eq(images.id, id)).get();
  }

  /** The newest ready image of a repository. */
  async newestImage(repo: string): Promise<ImageRow | undefined> {
    return this.db
      .select()
      .from(images)
      .where(and(eq(images.repo, repo), eq(images.status, "ready")))
      .orderBy(desc(images.createdAt))
      .limit(1)
      .get();
  }

  /** Whether the repository's newest image (ready or building) is at this commit. */
  async hasImageAt(repo: string, commit: string): Promise<boolean> {
    const row = await this.db
      .select({ id: images.id })
      .from(images)
      .where(
        and(
          eq(images.repo, repo),
          eq(images.commit, commit),
          inArray(images.status, ["ready", "building"]),
        ),
      )
      .get();
    return row !== undefined;
  }

  /** Records that a session or snapshot stands on an image. */
  async hold(imageId: string, holder: string, at: number): Promise<void> {
    await this.db
      .insert(imageRefs)
      .values({ imageId, holder, createdAt: at })
      .onConflictDoNothing()
      .run();
  }

  async release(imageId: string, holder: string): Promise<void> {
    await this.db
      .delete(imageRefs)
      .where(and(eq(imageRefs.imageId, imageId), eq(imageRefs.holder, holder)))
      .run();
  }

  /**
   * Ready images that nothing holds and that are not their repository's newest, older than
   * `before`: safe to delete.
   */
  async collectable(before: number): Promise<ImageRow[]> {
    const newest = this.db
      .select({
        id: sql<string>`(SELECT i2.id FROM images i2 WHERE i2.repo = ${images.repo} AND i2.status = 'ready' ORDER BY i2.created_at DESC LIMIT 1)`,
      })
      .from(images);
    const held = this.db.selectDistinct({ id: imageRefs.imageId }).from(imageRefs);
    return this.db
      .select()
      .from(images)
      .where(
        and(
          eq(images.status, "ready"),
          lt(images.createdAt, before),
          notInArray(images.id, held),
          notInArray(images.id, newest),
        ),
      )
      .all();
  }

  async markDeleted(id: string): Promise<void> {
    await this.db.update(images).set({ status: "deleted" }).where(eq(images.id, id)).run();
  }

  /** Builds left "building" by a crash, so they can be marked failed. */
  async staleBuilds(before: number): Promise<ImageRow[]> {
    return this.db
      .select()
      .from(images)
      .where(
        and(eq(images.status, "building"), lt(images.createdAt, before), isNull(images.finishedAt)),
      )
      .all();
  }
}
