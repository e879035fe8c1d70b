// run_command: a bash command in the workspace, with a timeout, its output streamed as it runs.
import { z } from "zod";
import { MAX_EXEC_TIMEOUT_MS } from "../../protocol/sandbox-host.ts";
import { capBytes, describeEnd, MAX_OUTPUT_BYTES } from "./output.ts";
import { resolvePath } from "./paths.ts";
import { refusal, runArgv } from "./sandbox-calls.ts";
import { toolError, result, type Tool } from "./tool.ts";

const DEFAULT_TIMEOUT_SECONDS = 120;
const MAX_TIMEOUT_SECONDS = MAX_EXEC_TIMEOUT_MS / 1000;
/** What the sandbox keeps of a command's output before the tool cuts it to MAX_OUTPUT_BYTES. */
const KEPT_OUTPUT_BYTES = 1024 * 1024;

const DESCRIPTION = `Runs a shell command with bash in the sandbox, in /workspace unless \`cwd\` says otherwise, and returns its output (stdout and stderr together) and exit code.
- Use it to run tests, builds, linters, git and other programs. To read, find, search or edit files, use read_file, glob, grep and edit_file instead of cat, find, grep or sed.
- Every call is a new shell: \`cd\` and exported variables do not carry over. Chain steps with && or use cwd.
- The command is killed after timeout_seconds (default ${DEFAULT_TIMEOUT_SECONDS}, at most ${MAX_TIMEOUT_SECONDS}). Processes it started in the background are killed when it ends. To keep a web server running for people to preview, start it detached (\`setsid -f <command> > /tmp/server.log 2>&1\`) and publish its port with expose_port. stdin is empty: pass flags to avoid interactive prompts.
- Output over ${MAX_OUTPUT_BYTES / 1024} KiB keeps its first and last ${MAX_OUTPUT_BYTES / 2048} KiB. For long output, redirect it to a file and grep or read that file.
- There is no network access.`;

const Input = z.object({
  command: z.string().min(1).describe("The bash command to run."),
  timeout_seconds: z
    .number()
    .int()
    .min(1)
    .max(MAX_TIMEOUT_SECONDS)
    .optional()
    .describe(`Kill the command after this many seconds. Default ${DEFAULT_TIMEOUT_SECONDS}.`),
  cwd: z
    .string()
    .optional()
    .describe("The folder to run in, relative to /workspace or absolute. Default: /workspace."),
});

// The outer shell replaces itself with the command's shell, its stderr joined to stdout so the
// two arrive in the order they were written.
const JOIN_STREAMS = 'exec bash -c "$1" 2>&1';

/** Runs a bash command. */
export const runCommand: Tool<z.infer<typeof Input>> = {
  name: "run_command",
  description: DESCRIPTION,
  input: Input,
  access: "write",
  async run(input, context) {
    const timeoutMs = (input.timeout_seconds ?? DEFAULT_TIMEOUT_SECONDS) * 1000;
    let run;
    try {
      run = await runArgv(
        context.sandbox,
        {
          argv: ["bash", "-c", JOIN_STREAMS, "bash", input.command],
          cwd: resolvePath(input.cwd ?? "."),
          timeoutMs,
          maxOutputBytes: KEPT_OUTPUT_BYTES,
        },
        { signal: context.signal, onOutput: (text) => context.progress(text) },
      );
    } catch (error) {
      return refusal(error);
    }
    const { result: end } = run;
    const output = [run.stdout, run.stderr]
      .map((bytes, i) =>
        capBytes(bytes, MAX_OUTPUT_BYTES, {
          totalBytes: i === 0 ? end.stdoutBytes : end.stderrBytes,
          hint: "Redirect the output to a file and grep or read it to see it all.",
        }),
      )
      .filter((text) => text !== "")
      .join("\n");
    const text = `${output === "" ? "(no output)" : output.trimEnd()}\n\n[${describeEnd(end, timeoutMs)}]`;
    if (end.timedOut)
      return toolError(
        `${text}\nIf it needs longer, pass a larger timeout_seconds (at most ${MAX_TIMEOUT_SECONDS}) or run it in smaller parts.`,
      );
    return end.exitCode === 0 ? result(text) : toolError(text);
  },
};
