// Between the sandbox API's exec messages (output as base64 text) and the agent channel's (bytes),
// for every server that runs commands through an in-sandbox agent.
import type { z } from "zod";
import type { ExecRequestSchema, ExecResult } from "../protocol/sandbox-host.ts";
import type { ExecOutcome, ExecRequest } from "./agent-channel.ts";

/** The agent's request for a validated API request; `defaultCwd` when the request names none. */
export function agentExecRequest(
  request: z.output<typeof ExecRequestSchema>,
  defaultCwd: string,
): ExecRequest {
  return {
    argv: request.argv,
    cwd: request.cwd ?? defaultCwd,
    env: request.env,
    timeoutMs: request.timeoutMs,
    maxOutputBytes: request.maxOutputBytes,
    ...(request.stdin !== undefined ? { stdin: Buffer.from(request.stdin, "base64") } : {}),
  };
}

/** An agent's outcome as the API reports it. */
export function execResult(outcome: ExecOutcome): ExecResult {
  return {
    exitCode: outcome.exitCode,
    signal: outcome.signal,
    timedOut: outcome.timedOut,
    durationMs: outcome.durationMs,
    stdout: Buffer.from(outcome.stdout).toString("base64"),
    stderr: Buffer.from(outcome.stderr).toString("base64"),
    stdoutBytes: outcome.stdoutBytes,
    stderrBytes: outcome.stderrBytes,
    truncated: outcome.truncated,
  };
}
