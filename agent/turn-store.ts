// The agent's checkpoints as the loop needs them; the Session object implements this over SQLite.
import type { ToolStatus, Usage } from "../protocol/events.ts";
import type { ConversationEntry } from "./conversation.ts";

/** A tool call as stored: `running` until it finished (a restart finds it interrupted). */
export interface StoredToolCall {
  toolUseId: string;
  state: "running" | "finished";
  status: ToolStatus | null;
  output: string | null;
  isError: boolean | null;
}

export interface TurnStore {
  conversation(): ConversationEntry[];
  appendMessage(entry: ConversationEntry, at: number): void;
  toolCall(toolUseId: string): StoredToolCall | undefined;
  startToolCall(
    call: { toolUseId: string; promptId: string; name: string; input: unknown },
    at: number,
  ): void;
  finishToolCall(
    toolUseId: string,
    outcome: { status: ToolStatus; output: string; isError: boolean },
    at: number,
  ): void;
  recordUsage(
    entry: { promptId: string; step: number; model: string; usage: Usage },
    at: number,
  ): void;
  /** Total usage of one prompt's turn, or of the whole session. */
  usage(promptId?: string): Usage;
}

/** The store as one thread of the session sees it: only the conversation of prompts it includes. */
export function threadOf(store: TurnStore, includes: (promptId: string) => boolean): TurnStore {
  return {
    conversation: () => store.conversation().filter((entry) => includes(entry.promptId)),
    appendMessage: (entry, at) => store.appendMessage(entry, at),
    toolCall: (toolUseId) => store.toolCall(toolUseId),
    startToolCall: (call, at) => store.startToolCall(call, at),
    finishToolCall: (toolUseId, outcome, at) => store.finishToolCall(toolUseId, outcome, at),
    recordUsage: (entry, at) => store.recordUsage(entry, at),
    usage: (promptId) => store.usage(promptId),
  };
}
