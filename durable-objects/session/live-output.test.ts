import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { ServerMessage } from "../../protocol/room.ts";
import { LIVE_BATCH_MS, LiveOutput } from "./live-output.ts";

describe("live output batching", () => {
  let sent: ServerMessage[];
  let live: LiveOutput;
  beforeEach(() => {
    vi.useFakeTimers();
    sent = [];
    live = new LiveOutput(
      (m) => sent.push(m),
      () => Date.now(),
    );
  });
  afterEach(() => vi.useRealTimers());

  it("sends the first piece at once and batches the rest within the window", () => {
    live.text("m", 0, 0, "Hel");
    expect(sent).toEqual([{ type: "agent.delta", messageId: "m", step: 0, index: 0, text: "Hel" }]);
    live.text("m", 0, 0, "lo ");
    live.text("m", 0, 0, "world");
    expect(sent).toHaveLength(1);
    vi.advanceTimersByTime(LIVE_BATCH_MS);
    expect(sent.at(-1)).toMatchObject({ text: "lo world" });
    expect(sent).toHaveLength(2);
  });

  it("gives a late joiner exactly what was sent, and leaves a done block to its final text", () => {
    live.text("m", 0, 0, "a");
    live.text("m", 0, 0, "b");
    expect(live.snapshot()).toEqual([
      { type: "agent.delta", messageId: "m", step: 0, index: 0, text: "a" },
    ]);
    // The block's `agent.text` event carries "ab": the pending "b" is not sent on its own.
    live.textDone("m", 0, 0);
    expect(sent.map((m) => (m.type === "agent.delta" ? m.text : "")).join("")).toBe("a");
    expect(live.snapshot()).toEqual([]);
    vi.advanceTimersByTime(LIVE_BATCH_MS);
    expect(sent).toHaveLength(1);
  });

  it("forgets a retried step and a finished tool", () => {
    live.text("m", 1, 0, "partial");
    live.toolOutput("m", "t1", "line\n");
    live.dropStep("m", 1);
    live.toolDone("t1");
    expect(live.snapshot()).toEqual([]);
  });

  it("keeps only the tail of a long tool output for late joiners", () => {
    live.toolOutput("m", "t1", "x".repeat(20_000));
    const [message] = live.snapshot();
    expect(message?.type === "tool.output" && message.text.length).toBe(8 * 1024);
  });
});
