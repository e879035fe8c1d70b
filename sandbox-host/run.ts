// Runs host commands without blocking the event loop, with their output collected.
import { spawn } from "node:child_process";

/** How a host command ended. */
export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a command to its end; rejects only when it cannot start. */
export function run(
  command: string,
  args: string[],
  options: { env?: Record<string, string | undefined>; cwd?: string } = {},
): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const env = (options.env ?? process.env) as NodeJS.ProcessEnv;
    const child = spawn(command, args, {
      env,
      cwd: options.cwd,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

/** Runs a command and fails with its stderr when it does not exit 0. */
export async function runOrThrow(
  command: string,
  args: string[],
  options: { env?: Record<string, string | undefined>; cwd?: string } = {},
): Promise<string> {
  const result = await run(command, args, options);
  if (result.code !== 0) {
    throw new Error(
      `${command} ${args.slice(0, 3).join(" ")} failed (${result.code}): ${result.stderr.trim().slice(0, 2_000)}`,
    );
  }
  return result.stdout;
}
