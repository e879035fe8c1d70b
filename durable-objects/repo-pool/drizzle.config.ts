// drizzle-kit settings for the RepoPool object's SQLite schema.
import { defineConfig } from "drizzle-kit";

export default defineConfig({
  dialect: "sqlite",
  driver: "durable-sqlite",
  schema: "./durable-objects/repo-pool/pool.sql.ts",
  out: "./durable-objects/repo-pool/migrations",
});
