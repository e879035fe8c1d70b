// Reads and replaces organisations' routing guides in D1.
import { asc, eq } from "drizzle-orm";
import { z } from "zod";
import type { GuideSource, RoutingGuide, Space } from "../../protocol/routing.ts";
import type { Database } from "../db/database.ts";
import { routingSpaces } from "./routing.sql.ts";

const CoverageSchema = z.array(z.string()).catch([]);

/** An organisation's guide; an empty one from the API, never stored, when it has none. */
export async function loadGuide(db: Database, org: string): Promise<RoutingGuide> {
  const key = org.toLowerCase();
  const rows = await db
    .select()
    .from(routingSpaces)
    .where(eq(routingSpaces.org, key))
    .orderBy(asc(routingSpaces.position))
    .all();
  const first = rows[0];
  if (!first) return emptyGuide(key);
  const spaces = rows.map((row): Space => ({
    name: row.name,
    kind: row.kind,
    repo: row.repo,
    environment: row.environment,
    purpose: row.purpose,
    coverage: CoverageSchema.parse(safeJson(row.coverage)),
  }));
  return { org: key, spaces, source: first.source, updatedAt: first.updatedAt };
}

/** Replaces an organisation's whole guide in one batch, so readers see the old or the new guide;
 * an empty list removes the guide. */
export async function replaceGuide(
  db: Database,
  org: string,
  spaces: readonly Space[],
  source: GuideSource,
  at: number,
): Promise<RoutingGuide> {
  const key = org.toLowerCase();
  const rows = spaces.map((space, position) => ({
    org: key,
    position,
    ...space,
    coverage: JSON.stringify(space.coverage),
    source,
    updatedAt: at,
  }));
  // One statement per space: D1 binds at most 100 parameters to a statement.
  await db.batch([
    db.delete(routingSpaces).where(eq(routingSpaces.org, key)),
    ...rows.map((row) => db.insert(routingSpaces).values(row)),
  ]);
  return rows.length > 0
    ? { org: key, spaces: [...spaces], source, updatedAt: at }
    : emptyGuide(key);
}

/** The guide of an organisation that has none. */
export function emptyGuide(org: string): RoutingGuide {
  return { org: org.toLowerCase(), spaces: [], source: "api", updatedAt: null };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
