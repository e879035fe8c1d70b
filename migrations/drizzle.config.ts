// drizzle-kit settings for the D1 global index; `wrangler d1 migrations apply` reads the output.
import { defineConfig } from "drizzle-kit";

export default defineConfig({
  dialect: "sqlite",
  schema: ["./worker/db/index.sql.ts", "./registry/registry.sql.ts", "./worker/stats/stats.sql.ts", "./worker/db/github.sql.ts", "./worker/routing/routing.sql.ts", "./worker/pipelines/pipelines.sql.ts"],
  out: "./migrations",
});
