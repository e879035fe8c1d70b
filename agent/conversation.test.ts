import { describe, expect, it } from "vitest";
import {
  INTERRUPTED_RESULT,
  pendingToolUses,
  promptContent,
  requestMessages,
  type ConversationEntry,
} from "./conversation.ts";

const text = (t: string) => ({ type: "text" as const, text: t });
const use = (id: string) => ({
  type: "tool_use" as const,
  id,
  name: "read_file",
  input: { path: "a" },
});
const result = (id: string) => ({ type: "tool_result" as const, tool_use_id: id, content: "ok" });

describe("the conversation sent to the model", () => {
  it("keeps a clean conversation as it is", () => {
    const entries: ConversationEntry[] = [
      { promptId: "p1", role: "user", content: [text("hi")] },
      { promptId: "p1", role: "assistant", content: [text("reading"), use("t1")] },
      { promptId: "p1", role: "user", content: [result("t1")] },
      { promptId: "p1", role: "assistant", content: [text("done")] },
    ];
    expect(requestMessages(entries)).toEqual(
      entries.map(({ role, content }) => ({ role, content })),
    );
  });

  it("answers tool uses a broken turn left open, then merges the next prompt into that message", () => {
    const messages = requestMessages([
      { promptId: "p1", role: "user", content: [text("hi")] },
      { promptId: "p1", role: "assistant", content: [use("t1"), use("t2")] },
      { promptId: "p2", role: "user", content: [text("next")] },
    ]);
    expect(messages).toHaveLength(3);
    expect(messages[2]).toEqual({
      role: "user",
      content: [
        { type: "tool_result", tool_use_id: "t1", content: INTERRUPTED_RESULT, is_error: true },
        { type: "tool_result", tool_use_id: "t2", content: INTERRUPTED_RESULT, is_error: true },
        text("next"),
      ],
    });
  });

  it("answers only the uses that have no stored result", () => {
    const messages = requestMessages([
      { promptId: "p1", role: "user", content: [text("hi")] },
      { promptId: "p1", role: "assistant", content: [use("t1"), use("t2")] },
      { promptId: "p1", role: "user", content: [result("t1")] },
    ]);
    const last = messages.at(-1)!.content as { tool_use_id: string }[];
    expect(last.map((block) => block.tool_use_id)).toEqual(["t1", "t2"]);
  });

  it("merges consecutive prompts (a stopped turn leaves no answer) and never starts with the assistant", () => {
    const messages = requestMessages([
      { promptId: "p0", role: "assistant", content: [text("orphan")] },
      { promptId: "p1", role: "user", content: [text("one")] },
      { promptId: "p2", role: "user", content: [text("two")] },
    ]);
    expect(messages).toEqual([{ role: "user", content: [text("one"), text("two")] }]);
  });

  it("finds the tool uses of a prompt's last assistant message", () => {
    const entries: ConversationEntry[] = [
      { promptId: "p1", role: "user", content: [text("hi")] },
      { promptId: "p1", role: "assistant", content: [text("x"), use("t1")] },
    ];
    expect(pendingToolUses(entries, "p1").map((u) => u.id)).toEqual(["t1"]);
    expect(pendingToolUses(entries, "p2")).toEqual([]);
    expect(
      pendingToolUses(
        [...entries, { promptId: "p1", role: "user", content: [result("t1")] }],
        "p1",
      ),
    ).toEqual([]);
  });

  it("names who asked", () => {
    expect(promptContent({ login: "alice", name: "Alice Liddell" }, "fix it")).toEqual([
      text("Alice Liddell (@alice) asks:\n\nfix it"),
    ]);
    expect(promptContent({ login: "bob", name: null }, "go")[0]).toMatchObject({
      text: "@bob asks:\n\ngo",
    });
  });
});
