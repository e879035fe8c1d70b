// GitHub in the global index: people's GitHub identity and sealed tokens, webhook deliveries seen,
// and the pull requests sessions opened.
import { integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";

/** A person's GitHub account and their user-to-server tokens, sealed (never stored in clear). */
export const githubAccounts = sqliteTable(
  "github_accounts",
  {
    userId: text("user_id").primaryKey(),
    githubId: integer("github_id").notNull(),
    login: text("login").notNull(),
    accessSealed: text("access_sealed").notNull(),
    accessExpiresAt: integer("access_expires_at"),
    refreshSealed: text("refresh_sealed"),
    refreshExpiresAt: integer("refresh_expires_at"),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [uniqueIndex("github_accounts_github_id").on(t.githubId)],
);

/** Webhook deliveries already handled, so a redelivery does nothing twice. */
export const webhookDeliveries = sqliteTable("webhook_deliveries", {
  id: text("id").primaryKey(),
  event: text("event").notNull(),
  receivedAt: integer("received_at").notNull(),
});

/** Pull requests opened for sessions: one per session, updated by later turns and by webhooks. */
export const pullRequests = sqliteTable(
  "pull_requests",
  {
    sessionId: text("session_id").primaryKey(),
    repo: text("repo").notNull(),
    number: integer("number").notNull(),
    url: text("url").notNull(),
    branch: text("branch").notNull(),
    state: text("state", { enum: ["open", "closed", "merged"] }).notNull(),
    openedBy: text("opened_by").notNull(),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [uniqueIndex("pull_requests_repo_number").on(t.repo, t.number)],
);
