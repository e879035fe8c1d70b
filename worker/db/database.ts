// The drizzle handle over D1; only the composition root creates it.
import { drizzle, type DrizzleD1Database } from "drizzle-orm/d1";
import * as schema from "./index.sql.ts";

/** The global index database. */
export type Database = DrizzleD1Database<typeof schema>;

/** Opens the index database over a D1 binding. */
export function openDatabase(binding: D1Database): Database {
  return drizzle(binding, { schema });
}
