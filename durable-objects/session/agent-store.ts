// The agent's checkpoints over the Session object's SQLite (the loop's TurnStore port).
import { asc, desc, eq, sql } from "drizzle-orm";
import type Anthropic from "@anthropic-ai/sdk";
import type { ConversationEntry } from "../../agent/conversation.ts";
import type { StoredToolCall, TurnStore } from "../../agent/turn-store.ts";
import type { ToolStatus, Usage } from "../../protocol/events.ts";
import { agentMessages, agentToolCalls, agentUsage } from "./agent.sql.ts";
import type { SessionDb } from "./store.ts";

export class AgentStore implements TurnStore {
  private readonly db: SessionDb;
  constructor(db: SessionDb) {
    this.db = db;
  }

  conversation(): ConversationEntry[] {
    return this.db
      .select()
      .from(agentMessages)
      .orderBy(asc(agentMessages.seq))
      .all()
      .map((row) => ({
        promptId: row.promptId,
        role: row.role,
        content: JSON.parse(row.content) as Anthropic.ContentBlockParam[],
      }));
  }

  /** The text of the agent's last message that said something, or null. */
  lastText(): string | null {
    const rows = this.db
      .select({ content: agentMessages.content })
      .from(agentMessages)
      .where(eq(agentMessages.role, "assistant"))
      .orderBy(desc(agentMessages.seq))
      .limit(20)
      .all();
    for (const row of rows) {
      const blocks = JSON.parse(row.content) as Anthropic.ContentBlockParam[];
      const text = blocks
        .flatMap((block) => (block.type === "text" ? [block.text] : []))
        .join("\n")
        .trim();
      if (text) return text;
    }
    return null;
  }

  appendMessage(entry: ConversationEntry, at: number): void {
    this.db
      .insert(agentMessages)
      .values({
        promptId: entry.promptId,
        role: entry.role,
        content: JSON.stringify(entry.content),
        createdAt: at,
      })
      .run();
  }

  toolCall(toolUseId: string): StoredToolCall | undefined {
    return this.db
      .select({
        toolUseId: agentToolCalls.toolUseId,
        state: agentToolCalls.state,
        status: agentToolCalls.status,
        output: agentToolCalls.output,
        isError: agentToolCalls.isError,
      })
      .from(agentToolCalls)
      .where(eq(agentToolCalls.toolUseId, toolUseId))
      .get();
  }

  startToolCall(
    call: { toolUseId: string; promptId: string; name: string; input: unknown },
    at: number,
  ): void {
    this.db
      .insert(agentToolCalls)
      .values({
        toolUseId: call.toolUseId,
        promptId: call.promptId,
        name: call.name,
        input: JSON.stringify(call.input ?? null),
        state: "running",
        startedAt: at,
      })
      .onConflictDoNothing()
      .run();
  }

  finishToolCall(
    toolUseId: string,
    outcome: { status: ToolStatus; output: string; isError: boolean },
    at: number,
  ): void {
    this.db
      .update(agentToolCalls)
      .set({ state: "finished", ...outcome, finishedAt: at })
      .where(eq(agentToolCalls.toolUseId, toolUseId))
      .run();
  }

  recordUsage(
    entry: { promptId: string; step: number; model: string; usage: Usage },
    at: number,
  ): void {
    this.db
      .insert(agentUsage)
      .values({
        promptId: entry.promptId,
        step: entry.step,
        model: entry.model,
        ...entry.usage,
        at,
      })
      .run();
  }

  usage(promptId?: string): Usage {
    const row = this.db
      .select({
        inputTokens: sql<number>`coalesce(sum(${agentUsage.inputTokens}), 0)`,
        outputTokens: sql<number>`coalesce(sum(${agentUsage.outputTokens}), 0)`,
        cacheReadTokens: sql<number>`coalesce(sum(${agentUsage.cacheReadTokens}), 0)`,
        cacheWriteTokens: sql<number>`coalesce(sum(${agentUsage.cacheWriteTokens}), 0)`,
        costUsd: sql<number>`coalesce(sum(${agentUsage.costUsd}), 0)`,
      })
      .from(agentUsage)
      .where(promptId === undefined ? undefined : eq(agentUsage.promptId, promptId))
      .get();
    return row!;
  }
}
