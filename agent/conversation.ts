// The conversation as the model sees it, built from the stored checkpoints. Pure: every turn that
// broke off (stopped, failed, restarted) still yields a request the Messages API accepts.
import type Anthropic from "@anthropic-ai/sdk";

/** One stored message of the conversation. */
export interface ConversationEntry {
  promptId: string;
  role: "user" | "assistant";
  content: Anthropic.ContentBlockParam[];
}

/** What a tool result says when its call never finished. */
export const INTERRUPTED_RESULT =
  "This tool call was interrupted before it finished (the session restarted or the turn ended), and it was not run again. Check the workspace (e.g. git status, or read the file) before retrying it.";

/**
 * The request's messages: every tool use answered (missing results become "interrupted"),
 * consecutive messages of one role merged, and the first message from the user.
 */
export function requestMessages(entries: readonly ConversationEntry[]): Anthropic.MessageParam[] {
  const out: Anthropic.MessageParam[] = [];
  const push = (role: "user" | "assistant", content: Anthropic.ContentBlockParam[]) => {
    if (content.length === 0) return;
    const last = out.at(-1);
    if (last && last.role === role) {
      const merged = [...(last.content as Anthropic.ContentBlockParam[]), ...content];
      out[out.length - 1] = { role, content: role === "user" ? resultsFirst(merged) : merged };
    } else out.push({ role, content });
  };
  /** Results owed to the previous assistant message, given right after the stored ones. */
  let owed: Anthropic.ContentBlockParam[] = [];
  for (let i = 0; i < entries.length; i++) {
    const entry = entries[i]!;
    push(entry.role, entry.content);
    push("user", owed);
    owed = [];
    if (entry.role !== "assistant") continue;
    const uses = entry.content.filter((block) => block.type === "tool_use");
    const next = entries[i + 1];
    const answered = new Set(
      next?.role === "user"
        ? next.content.flatMap((block) => (block.type === "tool_result" ? [block.tool_use_id] : []))
        : [],
    );
    owed = uses
      .filter((use) => !answered.has(use.id))
      .map((use) => ({
        type: "tool_result",
        tool_use_id: use.id,
        content: INTERRUPTED_RESULT,
        is_error: true,
      }));
    if (next?.role !== "user") {
      push("user", owed);
      owed = [];
    }
  }
  while (out[0]?.role === "assistant") out.shift();
  return out;
}

/** Tool results must come first in a user message that answers tool uses. */
function resultsFirst(content: Anthropic.ContentBlockParam[]): Anthropic.ContentBlockParam[] {
  return [
    ...content.filter((block) => block.type === "tool_result"),
    ...content.filter((block) => block.type !== "tool_result"),
  ];
}

/** The tool uses of the last assistant message that the stored results do not answer yet. */
export function pendingToolUses(
  entries: readonly ConversationEntry[],
  promptId: string,
): Anthropic.ToolUseBlockParam[] {
  const own = entries.filter((entry) => entry.promptId === promptId);
  const last = own.at(-1);
  if (!last || last.role !== "assistant") return [];
  return last.content.filter((block) => block.type === "tool_use");
}

/** How a prompt reads to the model: who asked, then what they asked. */
export function promptContent(
  author: { login: string; name: string | null },
  text: string,
): Anthropic.ContentBlockParam[] {
  const who = author.name ? `${author.name} (@${author.login})` : `@${author.login}`;
  return [{ type: "text", text: `${who} asks:\n\n${text}` }];
}
