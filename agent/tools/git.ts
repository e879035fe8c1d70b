// Running git for the git tools: no hooks, pager, colours or external diff programs, whatever
// the repository configures.
import { bytesToText, capBytes, MAX_OUTPUT_BYTES } from "./output.ts";
import { refusal, runArgv } from "./sandbox-calls.ts";
import { result, toolError, type ToolResult, type ToolSandbox } from "./tool.ts";

const GIT = [
  "git",
  "--no-pager",
  "-c",
  "core.hooksPath=/dev/null",
  "-c",
  "core.fsmonitor=false",
  "-c",
  "color.ui=never",
];

/** Runs git in the workspace; its output, capped, or a tool error with what git said. */
export async function runGit(
  sandbox: ToolSandbox,
  args: string[],
  options: { signal: AbortSignal; hint: string; empty: string },
): Promise<ToolResult> {
  let run;
  try {
    run = await runArgv(
      sandbox,
      { argv: [...GIT, ...args], timeoutMs: 60_000 },
      { signal: options.signal },
    );
  } catch (error) {
    return refusal(error);
  }
  const { exitCode, stdoutBytes } = run.result;
  if (exitCode !== 0)
    return toolError(
      `git ${args[0]} failed (${exitCode === null ? "killed" : `exit code ${exitCode}`}): ${bytesToText(run.stderr).trim()}`,
    );
  if (run.stdout.length === 0) return result(options.empty);
  return result(
    capBytes(run.stdout, MAX_OUTPUT_BYTES, {
      totalBytes: stdoutBytes,
      hint: options.hint,
    }).trimEnd(),
  );
}
