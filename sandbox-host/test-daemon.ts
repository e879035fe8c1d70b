// Runs `sandbox-host/main.ts` as its own process for tests that kill it and start it again.
import { spawn, type ChildProcess } from "node:child_process";
import { createInterface } from "node:readline";

/** A daemon process, what it has logged so far (JSON lines), and how to end it. */
export interface TestDaemon {
  child: ChildProcess;
  url: string;
  logs: string[];
  /** Sends `signal` and resolves once the process is gone. */
  kill(signal: NodeJS.Signals): Promise<void>;
}

/** How to start a daemon: its state folder and token, and a port (0, the default, picks a free one). */
export interface TestDaemonOptions {
  stateDir: string;
  token: string;
  port?: number;
  /** More settings (TANDEM_HOST_*). */
  env?: Record<string, string>;
  /** Runs it as this unprivileged user (through setpriv, so the test must be root): rootless. */
  user?: { uid: number; gid: number };
}

/** Starts the daemon and resolves once it listens; rejects when it exits before that. */
export function startDaemon(options: TestDaemonOptions): Promise<TestDaemon> {
  const { user } = options;
  const asUser = user
    ? ["setpriv", `--reuid=${user.uid}`, `--regid=${user.gid}`, "--clear-groups", "--"]
    : [];
  const [command, ...args] = [...asUser, process.execPath, "sandbox-host/main.ts"];
  const child = spawn(command!, args, {
    env: {
      ...process.env,
      ...(user ? { HOME: options.stateDir } : {}),
      ...options.env,
      TANDEM_HOST_TOKEN: options.token,
      TANDEM_HOST_PORT: String(options.port ?? 0),
      TANDEM_HOST_STATE: options.stateDir,
    },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const logs: string[] = [];
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const kill = async (signal: NodeJS.Signals) => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    await exited;
  };
  return new Promise((resolve, reject) => {
    createInterface({ input: child.stdout! }).on("line", (line) => {
      logs.push(line);
      const entry = JSON.parse(line) as { message: string; url?: string };
      if (entry.message === "host.listening") resolve({ child, url: entry.url!, logs, kill });
    });
    child.once("exit", (code) => reject(new Error(`the sandbox host daemon exited with ${code}`)));
  });
}

/** The first logged line with this message, parsed. */
export function logged<T>(daemon: TestDaemon, message: string): T | undefined {
  return daemon.logs
    .map((line) => JSON.parse(line) as { message: string })
    .find((entry) => entry.message === message) as T | undefined;
}
