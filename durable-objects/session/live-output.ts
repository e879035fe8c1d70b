// What the agent is streaming right now, batched for broadcast: the first piece goes out at once,
// later pieces within a short window travel together. A socket that subscribes mid-turn gets the
// text sent so far, so it continues exactly where the others are.
import type { ServerMessage } from "../../protocol/room.ts";

/** How long later pieces wait to travel together. */
export const LIVE_BATCH_MS = 30;
/** The most of a running tool's output a late joiner is sent. */
const TOOL_TAIL_CHARS = 8 * 1024;

type Timer = ReturnType<typeof setTimeout>;

interface Block {
  messageId: string;
  step: number;
  index: number;
  sent: string;
  pending: string;
}

interface ToolStream {
  messageId: string;
  toolUseId: string;
  sent: string;
  pending: string;
}

export class LiveOutput {
  private readonly send: (message: ServerMessage) => void;
  private readonly now: () => number;
  private readonly blocks = new Map<string, Block>();
  private readonly tools = new Map<string, ToolStream>();
  private lastFlushAt = -Infinity;
  private timer: Timer | null = null;

  constructor(send: (message: ServerMessage) => void, now: () => number = () => Date.now()) {
    this.send = send;
    this.now = now;
  }

  text(messageId: string, step: number, index: number, text: string): void {
    const key = `${messageId}:${step}:${index}`;
    const block = this.blocks.get(key) ?? { messageId, step, index, sent: "", pending: "" };
    block.pending += text;
    this.blocks.set(key, block);
    this.schedule();
  }

  /** The block is final and its `agent.text` event, with the whole text, follows: what is pending
   * need not travel on its own, so the block is forgotten. */
  textDone(messageId: string, step: number, index: number): void {
    this.blocks.delete(`${messageId}:${step}:${index}`);
  }

  toolOutput(messageId: string, toolUseId: string, text: string): void {
    const stream = this.tools.get(toolUseId) ?? { messageId, toolUseId, sent: "", pending: "" };
    stream.pending += text;
    this.tools.set(toolUseId, stream);
    this.schedule();
  }

  toolDone(toolUseId: string): void {
    const stream = this.tools.get(toolUseId);
    if (!stream) return;
    this.flushTool(stream);
    this.tools.delete(toolUseId);
  }

  /** A model call is retried: what it streamed is void. */
  dropStep(messageId: string, step: number): void {
    for (const [key, block] of this.blocks) {
      if (block.messageId === messageId && block.step === step) this.blocks.delete(key);
    }
  }

  /** The turn ended: send what is pending and forget it. */
  turnEnded(messageId: string): void {
    this.flush();
    for (const [key, block] of this.blocks)
      if (block.messageId === messageId) this.blocks.delete(key);
    for (const [key, tool] of this.tools) if (tool.messageId === messageId) this.tools.delete(key);
  }

  /** What a socket that subscribes now needs to be level with the others. */
  snapshot(): ServerMessage[] {
    const out: ServerMessage[] = [];
    for (const block of this.blocks.values()) {
      if (block.sent) {
        out.push({
          type: "agent.delta",
          messageId: block.messageId,
          step: block.step,
          index: block.index,
          text: block.sent,
        });
      }
    }
    for (const tool of this.tools.values()) {
      if (tool.sent) {
        out.push({
          type: "tool.output",
          messageId: tool.messageId,
          toolUseId: tool.toolUseId,
          text: tool.sent.slice(-TOOL_TAIL_CHARS),
        });
      }
    }
    return out;
  }

  /** Sends everything pending now. */
  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.lastFlushAt = this.now();
    for (const block of this.blocks.values()) this.flushBlock(block);
    for (const tool of this.tools.values()) this.flushTool(tool);
  }

  private schedule(): void {
    if (this.timer) return;
    const wait = this.lastFlushAt + LIVE_BATCH_MS - this.now();
    if (wait <= 0) return this.flush();
    this.timer = setTimeout(() => this.flush(), wait);
  }

  private flushBlock(block: Block): void {
    if (!block.pending) return;
    const { messageId, step, index, pending: text } = block;
    block.sent += text;
    block.pending = "";
    this.send({ type: "agent.delta", messageId, step, index, text });
  }

  private flushTool(tool: ToolStream): void {
    if (!tool.pending) return;
    const text = tool.pending;
    // Only the tail matters to a late joiner.
    tool.sent = (tool.sent + text).slice(-TOOL_TAIL_CHARS);
    tool.pending = "";
    this.send({ type: "tool.output", messageId: tool.messageId, toolUseId: tool.toolUseId, text });
  }
}
