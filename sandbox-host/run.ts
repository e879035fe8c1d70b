// Runs host commands without blocking the event loop, with their output collected.
import { spawn } from "node:child_process";

/** How a host command ended. */
export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** How to run a host command. */
export interface RunOptions {
  env?: Record<string, string | undefined>;
  cwd?: string;
  /** Kills the command and everything it started (its own process group) when aborted. */
  signal?: AbortSignal;
}

/** Runs a command to its end; rejects only when it cannot start or is aborted. */
export function run(command: string, args: string[], options: RunOptions = {}): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const { signal } = options;
    if (signal?.aborted) return reject(abortReason(signal));
    const env = (options.env ?? process.env) as NodeJS.ProcessEnv;
    const child = spawn(command, args, {
      env,
      cwd: options.cwd,
      stdio: ["ignore", "pipe", "pipe"],
      // Its own process group, so that an abort reaches a pipeline's every process.
      detached: signal !== undefined,
    });
    let stdout = "";
    let stderr = "";
    const abort = () => {
      try {
        if (child.pid) process.kill(-child.pid, "SIGKILL");
      } catch {
        // Already gone.
      }
    };
    signal?.addEventListener("abort", abort, { once: true });
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("error", (error) => {
      signal?.removeEventListener("abort", abort);
      reject(error);
    });
    child.on("close", (code) => {
      signal?.removeEventListener("abort", abort);
      if (signal?.aborted) reject(abortReason(signal));
      else resolve({ code, stdout, stderr });
    });
  });
}

/** Runs a command and fails with its stderr when it does not exit 0. */
export async function runOrThrow(
  command: string,
  args: string[],
  options: RunOptions = {},
): Promise<string> {
  const result = await run(command, args, options);
  if (result.code !== 0) {
    throw new Error(
      `${command} ${args.slice(0, 3).join(" ")} failed (${result.code}): ${result.stderr.trim().slice(0, 2_000)}`,
    );
  }
  return result.stdout;
}

function abortReason(signal: AbortSignal): Error {
  return signal.reason instanceof Error ? signal.reason : new Error("the command was aborted");
}
