// The drizzle handle over D1; only the composition root creates it.
import { drizzle, type DrizzleD1Database } from "drizzle-orm/d1";
import * as schema from "./index.sql.ts";
import { retryingD1 } from "./retrying-d1.ts";

/** The global index database. */
export type Database = DrizzleD1Database<typeof schema>;

/** Opens the index database over a D1 binding, its transient failures retried. */
export function openDatabase(binding: D1Database): Database {
  return drizzle(retryingD1(binding), { schema });
}
