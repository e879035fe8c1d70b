// What every agent tool is: a name, a description for the model, a zod input, and a run function
// that works in the session's sandbox through a narrow view of the provider.
import type { z } from "zod";
import type { ExecRequest, ExecResult } from "../../protocol/sandbox-host.ts";
import type { FileRead } from "../../sandbox/provider.ts";

/** Where the repository is checked out inside every sandbox. */
export const WORKSPACE = "/workspace";

/** The session's sandbox as tools see it: already bound to one sandbox id. */
export interface ToolSandbox {
  /** Runs argv; aborting `signal` kills the whole process group. */
  exec(
    request: ExecRequest,
    options?: { signal?: AbortSignal; onOutput?: (text: string) => void },
  ): Promise<ExecResult>;
  readFile(path: string, options?: { maxBytes?: number }): Promise<FileRead>;
  writeFile(path: string, data: Uint8Array): Promise<void>;
}

/** What a tool call gets besides its input. */
export interface ToolContext {
  sandbox: ToolSandbox;
  /** Aborted when a participant stops the turn. */
  signal: AbortSignal;
  /** Streams output of a long-running call to the people watching. */
  progress(text: string): void;
}

/** What the model is told. `isError` marks a result the model should react to. */
export interface ToolResult {
  output: string;
  isError: boolean;
}

/** One tool. `access` says whether a call may change the workspace (the write gate holds those). */
export interface Tool<Input = unknown> {
  /** Runs in the session's sandbox (the default). */
  readonly kind?: "sandbox";
  readonly name: string;
  readonly description: string;
  readonly input: z.ZodType<Input>;
  readonly access: "read" | "write";
  run(input: Input, context: ToolContext): Promise<ToolResult>;
}

/** What a session tool gets besides its input: the session's links to other sessions. */
export interface SessionToolContext<Port> {
  session: Port;
  signal: AbortSignal;
  progress(text: string): void;
}

/** A tool that works on the session itself (other sessions, mail, handoffs), not in its sandbox. */
export interface SessionTool<Input = unknown, Port = unknown> {
  readonly kind: "session";
  readonly name: string;
  readonly description: string;
  readonly input: z.ZodType<Input>;
  readonly access: "read";
  run(input: Input, context: SessionToolContext<Port>): Promise<ToolResult>;
}

/** A tool with its input type erased, as registries hold them. */
export type AnyTool = Tool<any> | SessionTool<any, any>;

/** Shorthand for a successful result. */
export const result = (output: string): ToolResult => ({ output, isError: false });
/** Shorthand for a result that tells the model what went wrong and how to fix it. */
export const toolError = (output: string): ToolResult => ({ output, isError: true });
