// Plugins change how tools run without the loop knowing them: `tool.execute.before` may block a
// call or change its input, `tool.execute.after` may annotate its result, and `model.context`
// adds lines to the system prompt before each model call.
import type { ToolResult } from "./tools/tool.ts";

/** A tool call as plugins see it. */
export interface ToolCall {
  id: string;
  name: string;
  input: unknown;
  access: "read" | "write";
}

/** What a before-hook decides: run (perhaps with another input) or block with a reason. */
export type BeforeDecision = { block: string } | { input: unknown } | undefined;

export interface Plugin {
  readonly name: string;
  "tool.execute.before"?(
    call: ToolCall,
    signal: AbortSignal,
  ): Promise<BeforeDecision> | BeforeDecision;
  "tool.execute.after"?(
    call: ToolCall,
    result: ToolResult,
  ): Promise<string | undefined> | string | undefined;
  "model.context"?(): Promise<string | null> | string | null;
}

/** The outcome of every before-hook in order: the call to run, or why it is blocked. */
export type Admission = { call: ToolCall } | { blocked: string; by: string };

/** Plugins in the order they were given; each sees the call as the previous one left it. */
export class Plugins {
  private readonly list: readonly Plugin[];
  constructor(list: readonly Plugin[]) {
    this.list = list;
  }

  async before(call: ToolCall, signal: AbortSignal): Promise<Admission> {
    let current = call;
    for (const plugin of this.list) {
      const decision = await plugin["tool.execute.before"]?.(current, signal);
      if (!decision) continue;
      if ("block" in decision) return { blocked: decision.block, by: plugin.name };
      current = { ...current, input: decision.input };
    }
    return { call: current };
  }

  async after(call: ToolCall, result: ToolResult): Promise<string[]> {
    const notes: string[] = [];
    for (const plugin of this.list) {
      const note = await plugin["tool.execute.after"]?.(call, result);
      if (note) notes.push(note);
    }
    return notes;
  }

  async context(): Promise<string[]> {
    const lines: string[] = [];
    for (const plugin of this.list) {
      const line = await plugin["model.context"]?.();
      if (line) lines.push(line);
    }
    return lines;
  }
}
