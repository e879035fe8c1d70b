// Routing guides in D1: one row per space of an organisation's guide.
import { integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";

/** The spaces of each organisation's routing guide; a guide is replaced whole. */
export const routingSpaces = sqliteTable(
  "routing_spaces",
  {
    /** The organisation (GitHub owner), lower case: GitHub owners are case-insensitive. */
    org: text("org").notNull(),
    name: text("name").notNull(),
    /** Where the space sits in the guide, so it reads back in the order it was written. */
    position: integer("position").notNull(),
    kind: text("kind", { enum: ["repository", "environment"] }).notNull(),
    repo: text("repo").notNull(),
    environment: text("environment"),
    purpose: text("purpose").notNull(),
    /** The topics the space covers, as a JSON array of strings. */
    coverage: text("coverage").notNull(),
    source: text("source", { enum: ["api", "repository", "proposed"] }).notNull(),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.org, t.name] })],
);
