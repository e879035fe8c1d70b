// The Session object's tables for working with other sessions: its place in a team, the children
// it started, and its mailbox.
import { integer, sqliteTable, text } from "drizzle-orm/sqlite-core";
import type { Person } from "../../protocol/events.ts";
import type { Asked, FanOutAim, SpaceTarget } from "./fan-out-plan.ts";

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

/**
 * A fan-out a person started (a comparison or a discovery), kept so that it resumes after a
 * restart: the spaces chosen, which child session each was given (or why it could not be asked),
 * and when waiting ends.
 */
export const fanOuts = sqliteTable("fan_outs", {
  id: text("id").primaryKey(),
  /** The person who started it. */
  author: text("author", { mode: "json" }).$type<Person>().notNull(),
  /** What the answers are for: the question and the spaces left out, or the discovery's drafts. */
  aim: text("aim", { mode: "json" }).$type<FanOutAim>().notNull(),
  /** Each space to ask, with its child session's title and prompt. */
  targets: text("targets", { mode: "json" }).$type<SpaceTarget[]>().notNull(),
  /** What became of each space asked so far: its child session, or why it could not be asked. */
  asked: text("asked", { mode: "json" }).$type<Asked[]>().notNull(),
  timeoutMs: integer("timeout_ms").notNull(),
  /** When waiting for the children ends; null until every space was asked. */
  deadline: integer("deadline"),
  startedAt: integer("started_at").notNull(),
  finishedAt: integer("finished_at"),
});
