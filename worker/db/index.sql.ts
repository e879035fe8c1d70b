// The global index in D1: people, their credentials, and which sessions exist and who is in them.
import { index, integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";

/** People who can sign in. */
export const users = sqliteTable("users", {
  id: text("id").primaryKey(),
  login: text("login").notNull().unique(),
  name: text("name"),
  email: text("email"),
  avatarUrl: text("avatar_url"),
  createdAt: integer("created_at").notNull(),
});

/** Personal API tokens, stored as SHA-256 hashes. */
export const apiTokens = sqliteTable(
  "api_tokens",
  {
    id: text("id").primaryKey(),
    userId: text("user_id").notNull(),
    name: text("name").notNull(),
    tokenHash: text("token_hash").notNull().unique(),
    createdAt: integer("created_at").notNull(),
    lastUsedAt: integer("last_used_at"),
    revokedAt: integer("revoked_at"),
  },
  (t) => [index("api_tokens_user").on(t.userId)],
);

/** Browser sign-ins; the cookie carries the signed id of one row. */
export const authSessions = sqliteTable("auth_sessions", {
  id: text("id").primaryKey(),
  userId: text("user_id").notNull(),
  createdAt: integer("created_at").notNull(),
  expiresAt: integer("expires_at").notNull(),
  revokedAt: integer("revoked_at"),
});

/** One row per session, for listing; the Session object owns everything else. */
export const sessions = sqliteTable(
  "sessions",
  {
    id: text("id").primaryKey(),
    repo: text("repo").notNull(),
    title: text("title").notNull(),
    status: text("status", { enum: ["idle", "queued", "running"] }).notNull(),
    createdBy: text("created_by").notNull(),
    createdAt: integer("created_at").notNull(),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [index("sessions_repo").on(t.repo)],
);

/** Who takes part in which session (mirrors the Session object's participants). */
export const sessionMembers = sqliteTable(
  "session_members",
  {
    sessionId: text("session_id").notNull(),
    userId: text("user_id").notNull(),
    role: text("role", { enum: ["owner", "collaborator", "viewer"] }).notNull(),
    joinedAt: integer("joined_at").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.sessionId, t.userId] }),
    index("session_members_user").on(t.userId),
  ],
);
