// How a turn's Messages API request is shaped: the assistant's blocks as they go back, the cache
// breakpoints, and a generous estimate of the input's size for the spend limit.
import type Anthropic from "@anthropic-ai/sdk";
import type { CallParams } from "./model.ts";

/** The assistant's blocks as they go back to the model. */
export function toParams(content: Anthropic.ContentBlock[]): Anthropic.ContentBlockParam[] {
  return content.flatMap((block): Anthropic.ContentBlockParam[] => {
    switch (block.type) {
      case "text":
        return block.text ? [{ type: "text", text: block.text }] : [];
      case "tool_use":
        return [{ type: "tool_use", id: block.id, name: block.name, input: block.input }];
      case "thinking":
        return [{ type: "thinking", thinking: block.thinking, signature: block.signature }];
      case "redacted_thinking":
        return [{ type: "redacted_thinking", data: block.data }];
      default:
        return [];
    }
  });
}

/** Marks the last tool definition as a cache breakpoint (the tools never change). */
export function cacheLast(tools: Anthropic.Tool[]): Anthropic.Tool[] {
  return tools.map((tool, i) =>
    i === tools.length - 1 ? { ...tool, cache_control: { type: "ephemeral" } } : tool,
  );
}

/** Marks the end of the conversation as a cache breakpoint, so the next call reads it from cache. */
export function cacheLastMessage(messages: Anthropic.MessageParam[]): Anthropic.MessageParam[] {
  const last = messages.at(-1);
  if (!last || typeof last.content === "string" || last.content.length === 0) return messages;
  const content = [...last.content];
  const block = content.at(-1)!;
  if (block.type === "text" || block.type === "tool_result") {
    content[content.length - 1] = { ...block, cache_control: { type: "ephemeral" } };
  }
  return [...messages.slice(0, -1), { ...last, content } as Anthropic.MessageParam];
}

/** A generous guess of a request's input tokens (about three characters a token). */
export function estimateTokens(params: CallParams): number {
  return Math.ceil(JSON.stringify([params.system, params.tools, params.messages]).length / 3);
}
