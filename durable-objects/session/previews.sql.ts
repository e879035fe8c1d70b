// The Session object's tables for previews: the ports it publishes, and the one-time sign-in
// links to them that were used.
import { integer, sqliteTable, text } from "drizzle-orm/sqlite-core";

/** Ports of the session's sandbox that participants may open in their browsers. */
export const previewPorts = sqliteTable("preview_ports", {
  port: integer("port").primaryKey(),
  label: text("label").notNull(),
  by: text("by", { enum: ["agent", "person"] }).notNull(),
  /** The person who exposed it, or whose prompt the agent was working on. */
  exposedBy: text("exposed_by"),
  /** The prompt the agent was working on, when the agent exposed it. */
  messageId: text("message_id"),
  exposedAt: integer("exposed_at").notNull(),
  /** The sandbox the provider exposes it on now; null until one runs (or after it stopped). */
  sandboxId: text("sandbox_id"),
});

/** Sign-in links to previews that were used, kept until they expire so each works once. */
export const previewGrants = sqliteTable("preview_grants", {
  nonce: text("nonce").primaryKey(),
  expiresAt: integer("expires_at").notNull(),
});
