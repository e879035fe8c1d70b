// The agent's checkpoints in the Session object's SQLite: the conversation, every tool call, and
// what each model call used. A turn resumes from these after the object restarts.
import { index, integer, real, sqliteTable, text } from "drizzle-orm/sqlite-core";

/** The conversation with the model, in order; `content` is the JSON of the message's blocks. */
export const agentMessages = sqliteTable(
  "agent_messages",
  {
    seq: integer("seq").primaryKey({ autoIncrement: true }),
    promptId: text("prompt_id").notNull(),
    role: text("role", { enum: ["user", "assistant"] }).notNull(),
    content: text("content").notNull(),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [index("agent_messages_prompt").on(t.promptId, t.seq)],
);

/** Tool calls: written as running before the call starts, so a restart never runs one twice. */
export const agentToolCalls = sqliteTable("agent_tool_calls", {
  toolUseId: text("tool_use_id").primaryKey(),
  promptId: text("prompt_id").notNull(),
  name: text("name").notNull(),
  input: text("input").notNull(),
  state: text("state", { enum: ["running", "finished"] }).notNull(),
  status: text("status", { enum: ["ok", "error", "blocked", "interrupted", "stopped"] }),
  output: text("output"),
  isError: integer("is_error", { mode: "boolean" }),
  startedAt: integer("started_at").notNull(),
  finishedAt: integer("finished_at"),
});

/** Tokens and cost of every model call. */
export const agentUsage = sqliteTable(
  "agent_usage",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    promptId: text("prompt_id").notNull(),
    step: integer("step").notNull(),
    model: text("model").notNull(),
    inputTokens: integer("input_tokens").notNull(),
    outputTokens: integer("output_tokens").notNull(),
    cacheReadTokens: integer("cache_read_tokens").notNull(),
    cacheWriteTokens: integer("cache_write_tokens").notNull(),
    costUsd: real("cost_usd").notNull(),
    at: integer("at").notNull(),
  },
  (t) => [index("agent_usage_prompt").on(t.promptId)],
);
