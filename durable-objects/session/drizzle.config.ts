// drizzle-kit settings for the Session object's SQLite schema.
import { defineConfig } from "drizzle-kit";

export default defineConfig({
  dialect: "sqlite",
  driver: "durable-sqlite",
  schema: "./durable-objects/session/session.sql.ts",
  out: "./durable-objects/session/migrations",
});
