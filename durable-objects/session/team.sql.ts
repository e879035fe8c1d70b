// The Session object's tables for working with other sessions: its place in a team, the children
// it started, and its mailbox.
import { integer, sqliteTable, text } from "drizzle-orm/sqlite-core";

/** One row once the session is linked: who started it and under what name, and whether it was shut down. */
export const teamSelf = sqliteTable("team_self", {
  id: integer("id").primaryKey(),
  parentId: text("parent_id"),
  parentTitle: text("parent_title"),
  parentRepo: text("parent_repo"),
  name: text("name").notNull(),
  role: text("role"),
  /** 0 for a session a person started; a child is one deeper than its parent. */
  depth: integer("depth").notNull(),
  shutDownAt: integer("shut_down_at"),
});

/** Sessions this one started, with the state they last reported. */
export const teamChildren = sqliteTable("team_children", {
  sessionId: text("session_id").primaryKey(),
  name: text("name").notNull().unique(),
  role: text("role"),
  repo: text("repo").notNull(),
  title: text("title").notNull(),
  state: text("state", { enum: ["working", "idle", "shut_down"] }).notNull(),
  lastTurn: text("last_turn", { enum: ["done", "stopped", "failed"] }),
  summary: text("summary"),
  createdAt: integer("created_at").notNull(),
  updatedAt: integer("updated_at").notNull(),
});

/** The append-only mailbox, read in `seq` order; `readAt` marks what the agent has drained. */
export const mailbox = sqliteTable("mailbox", {
  seq: integer("seq").primaryKey({ autoIncrement: true }),
  /** The sender's id for the mail: a retried delivery is stored once. */
  id: text("id").notNull().unique(),
  fromSessionId: text("from_session_id").notNull(),
  fromName: text("from_name").notNull(),
  text: text("text").notNull(),
  sentAt: integer("sent_at").notNull(),
  receivedAt: integer("received_at").notNull(),
  readAt: integer("read_at"),
});
