// The image registry in D1: repositories Tandem prepares images for, their images, and who holds them.
import { index, integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";

/** Repositories with images: where to clone from, which branch to track, how to prepare them. */
export const repositories = sqliteTable("repositories", {
  repo: text("repo").primaryKey(),
  cloneUrl: text("clone_url").notNull(),
  defaultBranch: text("default_branch").notNull(),
  /** A recipe registered through the API (JSON); null reads `.tandem/image.yaml` from the repository. */
  recipe: text("recipe"),
  warmPoolSize: integer("warm_pool_size").notNull(),
  /** The default branch's head when the cron last looked. */
  headCommit: text("head_commit"),
  checkedAt: integer("checked_at"),
  createdBy: text("created_by").notNull(),
  createdAt: integer("created_at").notNull(),
});

/** Every image build, successful or not. */
export const images = sqliteTable(
  "images",
  {
    id: text("id").primaryKey(),
    repo: text("repo").notNull(),
    commit: text("commit").notNull(),
    status: text("status", { enum: ["building", "ready", "failed", "deleted"] }).notNull(),
    reason: text("reason", { enum: ["cron", "manual", "push", "first"] }).notNull(),
    error: text("error"),
    sizeBytes: integer("size_bytes"),
    createdAt: integer("created_at").notNull(),
    finishedAt: integer("finished_at"),
  },
  (t) => [index("images_repo").on(t.repo, t.createdAt)],
);

/** What keeps an image alive: sessions standing on it and snapshots taken on it. */
export const imageRefs = sqliteTable(
  "image_refs",
  {
    imageId: text("image_id").notNull(),
    holder: text("holder").notNull(),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.imageId, t.holder] }), index("image_refs_holder").on(t.holder)],
);
