// The Session object's own SQLite tables: who takes part, the prompt queue, the timeline.
import { index, integer, real, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
export * from "./agent.sql.ts";
export * from "./team.sql.ts";
export * from "./pipeline.sql.ts";
export * from "./previews.sql.ts";

/** One row: what this session is. */
export const meta = sqliteTable("meta", {
  id: text("id").primaryKey(),
  repo: text("repo").notNull(),
  title: text("title").notNull(),
  createdBy: text("created_by").notNull(),
  createdAt: integer("created_at").notNull(),
  /** The model the agent uses; null: the platform's default. */
  model: text("model"),
  /** The most the agent may spend in this session, in US dollars; null: no limit. */
  spendLimitUsd: real("spend_limit_usd"),
});

/** People in the session and their roles. */
export const participants = sqliteTable("participants", {
  userId: text("user_id").primaryKey(),
  login: text("login").notNull(),
  name: text("name"),
  avatarUrl: text("avatar_url"),
  role: text("role", { enum: ["owner", "collaborator", "viewer"] }).notNull(),
  joinedAt: integer("joined_at").notNull(),
  lastSeenAt: integer("last_seen_at"),
  /** Set when the person left or was removed: no longer a participant, the row still names them
   * as the author of what they wrote. Joining again clears it. */
  removedAt: integer("removed_at"),
});

/** The prompt queue: FIFO by `ordinal`, idempotent by (author, client id). */
export const messages = sqliteTable(
  "messages",
  {
    ordinal: integer("ordinal").primaryKey({ autoIncrement: true }),
    id: text("id").notNull().unique(),
    clientId: text("client_id").notNull(),
    authorId: text("author_id").notNull(),
    text: text("text").notNull(),
    state: text("state", {
      enum: ["queued", "running", "done", "stopped", "failed", "cancelled"],
    }).notNull(),
    createdAt: integer("created_at").notNull(),
    startedAt: integer("started_at"),
    finishedAt: integer("finished_at"),
  },
  (t) => [
    uniqueIndex("messages_author_client").on(t.authorId, t.clientId),
    index("messages_state").on(t.state, t.ordinal),
  ],
);

/** The append-only timeline. AUTOINCREMENT keeps `seq` strictly increasing, never reused. */
export const events = sqliteTable("events", {
  seq: integer("seq").primaryKey({ autoIncrement: true }),
  type: text("type").notNull(),
  at: integer("at").notNull(),
  actor: text("actor"),
  data: text("data").notNull(),
});

/** Share links; only a hash of the token is kept. */
export const shareLinks = sqliteTable("share_links", {
  id: text("id").primaryKey(),
  tokenHash: text("token_hash").notNull().unique(),
  role: text("role", { enum: ["collaborator", "viewer"] }).notNull(),
  createdBy: text("created_by").notNull(),
  createdAt: integer("created_at").notNull(),
  expiresAt: integer("expires_at"),
  revokedAt: integer("revoked_at"),
});

/** Named deadlines multiplexed onto the object's single alarm. */
export const deadlines = sqliteTable("deadlines", {
  kind: text("kind").primaryKey(),
  dueAt: integer("due_at").notNull(),
});

/** One row: the session's sandbox and the snapshot its next sandbox restores from. */
export const sandboxState = sqliteTable("sandbox_state", {
  id: integer("id").primaryKey(),
  sandboxId: text("sandbox_id"),
  imageId: text("image_id"),
  status: text("status", { enum: ["starting", "running", "lost"] }),
  lastSnapshotId: text("last_snapshot_id"),
  lastSnapshotImageId: text("last_snapshot_image_id"),
  /** When the host took the last snapshot, on the host's clock; null when not known. */
  lastSnapshotAt: integer("last_snapshot_at"),
  commit: text("commit"),
  lastActivityAt: integer("last_activity_at").notNull(),
});

/** One row: the session's pull request, once published. */
export const pullRequest = sqliteTable("pull_request", {
  id: integer("id").primaryKey(),
  number: integer("number").notNull(),
  url: text("url").notNull(),
  branch: text("branch").notNull(),
  state: text("state", { enum: ["open", "closed", "merged"] }).notNull(),
  openedBy: text("opened_by").notNull(),
  updatedAt: integer("updated_at").notNull(),
});
