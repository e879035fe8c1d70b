// How tools call the sandbox: commands with their output decoded, and refusals the model can
// act on (a missing folder, a directory where a file belongs) turned into tool errors.
import type { ExecRequest, ExecResult } from "../../protocol/sandbox-host.ts";
import { SandboxError } from "../../sandbox/provider.ts";
import { decodeBase64 } from "./output.ts";
import { toolError, type ToolResult, type ToolSandbox } from "./tool.ts";

/** A finished command with its output as bytes. */
export interface CommandRun {
  result: ExecResult;
  stdout: Uint8Array;
  stderr: Uint8Array;
}

/** Runs argv in the sandbox and decodes its output. */
export async function runArgv(
  sandbox: ToolSandbox,
  request: ExecRequest,
  options: { signal?: AbortSignal; onOutput?: (text: string) => void } = {},
): Promise<CommandRun> {
  const result = await sandbox.exec(request, options);
  return { result, stdout: decodeBase64(result.stdout), stderr: decodeBase64(result.stderr) };
}

/**
 * The tool error for a sandbox call the sandbox refused because of what was asked (its message
 * names the path and the reason), with `hint` saying what to do instead; any other failure is
 * rethrown for the loop to handle.
 */
export function refusal(error: unknown, hint?: string): ToolResult {
  if (error instanceof SandboxError && error.code === "invalid_input")
    return toolError(`${error.message.replace(/\.?$/, ".")}${hint ? ` ${hint}` : ""}`);
  throw error;
}
