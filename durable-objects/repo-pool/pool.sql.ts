// The RepoPool object's SQLite: the current image, the build in progress, its log, the warm pool.
import { integer, sqliteTable, text } from "drizzle-orm/sqlite-core";

/** One row: which repository, which image is current, which build runs. */
export const poolState = sqliteTable("pool_state", {
  id: integer("id").primaryKey(),
  repo: text("repo").notNull(),
  currentImageId: text("current_image_id"),
  buildingImageId: text("building_image_id"),
  buildingCommit: text("building_commit"),
  buildStartedAt: integer("build_started_at"),
});

/** Build log lines, kept for the most recent builds. */
export const buildLogs = sqliteTable("build_logs", {
  seq: integer("seq").primaryKey({ autoIncrement: true }),
  imageId: text("image_id").notNull(),
  step: text("step").notNull(),
  stream: text("stream", { enum: ["stdout", "stderr", "system"] }).notNull(),
  text: text("text").notNull(),
  at: integer("at").notNull(),
});

/** Ready sandboxes waiting to be claimed. */
export const warmSandboxes = sqliteTable("warm_sandboxes", {
  sandboxId: text("sandbox_id").primaryKey(),
  imageId: text("image_id").notNull(),
  createdAt: integer("created_at").notNull(),
});
