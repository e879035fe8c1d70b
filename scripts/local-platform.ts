// Starts the platform (`wrangler dev` over a fresh local state) for end-to-end tests and benchmarks.
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { applyLocalMigrations, createLocalUserToken } from "./local-d1.ts";
import { reapGroup } from "./process-group.ts";

/** A running local platform. */
export interface LocalPlatform {
  url: string;
  /** wrangler's inspector (the V8 DevTools protocol of the Worker), e.g. for CPU profiles. */
  inspectorPort: number;
  /** Creates (or reuses) a user and returns a new API token for them. */
  createUser(login: string): Promise<string>;
  /** Kills every process of the platform at once (as a crash would) and starts it again on the same state. */
  crashAndRestart(): Promise<void>;
  stop(): Promise<void>;
}

/** A TCP port that was free a moment ago. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() =>
        typeof address === "object" && address
          ? resolve(address.port)
          : reject(new Error("no port")),
      );
    });
  });
}

async function waitForHealth(url: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null)
      throw new Error(`wrangler dev exited with ${child.exitCode} before it was ready`);
    try {
      const response = await fetch(`${url}/api/health`);
      if (response.ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
  throw new Error(`wrangler dev did not answer ${url}/api/health within ${timeoutMs} ms`);
}

/** How to start the platform. */
export interface LocalPlatformOptions {
  /** Shows wrangler's output. */
  log?: boolean;
  /** Extra Worker vars (`--var NAME:value`), e.g. `SANDBOX_HOST_URL` and `SANDBOX_HOST_TOKEN`. */
  vars?: Record<string, string>;
  /** The dev registry folder wrangler announces its Durable Objects in (`WRANGLER_REGISTRY_PATH`);
   * a private one keeps other `wrangler dev` sessions of the same Worker name from answering
   * `getPlatformProxy` bindings with `script_name`. Defaults to wrangler's global one. */
  devRegistryPath?: string;
}

/** Starts `wrangler dev` on a free port with its own state folder; the web build must exist. */
export async function startLocalPlatform(
  options: LocalPlatformOptions = {},
): Promise<LocalPlatform> {
  if (!existsSync("web/dist/index.html"))
    throw new Error("web/dist is missing: run `npm run build:web` first");
  const persistTo = mkdtempSync(join(tmpdir(), "tandem-state-"));
  try {
    await applyLocalMigrations(persistTo);
  } catch (error) {
    rmSync(persistTo, { recursive: true, force: true });
    throw error;
  }
  const [port, inspectorPort] = [await freePort(), await freePort()];
  const url = `http://127.0.0.1:${port}`;
  const sessionSecret = randomBytes(32).toString("base64url");
  const launch = () =>
    spawn(
      "npx",
      [
        "wrangler",
        "dev",
        "--ip",
        "127.0.0.1",
        "--port",
        String(port),
        "--inspector-port",
        String(inspectorPort),
        "--persist-to",
        persistTo,
        "--show-interactive-dev-session=false",
        "--var",
        `PUBLIC_URL:${url}`,
        // Previews on the same port: `*.localhost` is loopback in browsers.
        "--var",
        `PREVIEW_URL:http://*.localhost:${port}`,
        "--var",
        `SESSION_SECRET:${sessionSecret}`,
        ...Object.entries(options.vars ?? {}).flatMap(([name, value]) => [
          "--var",
          `${name}:${value}`,
        ]),
      ],
      {
        detached: true,
        stdio: options.log ? "inherit" : "ignore",
        env: {
          ...process.env,
          WRANGLER_SEND_METRICS: "false",
          CLOUDFLARE_CF_FETCH_ENABLED: "false",
          ...(options.devRegistryPath ? { WRANGLER_REGISTRY_PATH: options.devRegistryPath } : {}),
        },
      },
    );
  let child = launch();
  /** Ends the whole process group (wrangler spawns workerd and esbuild) and waits until every member is gone. */
  const end = async (signal: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, signal);
    } catch {
      // Already gone.
    }
    await reapGroup(child.pid!);
  };
  let stopping: Promise<void> | null = null;
  const stop = () =>
    (stopping ??= (async () => {
      await end("SIGTERM");
      // Nothing writes into the state folder any more.
      rmSync(persistTo, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 });
    })());
  // A caller that dies while the platform runs must not leave wrangler behind.
  const stopOnExit = () => {
    try {
      process.kill(-child.pid!, "SIGTERM");
    } catch {
      // Already gone.
    }
  };
  process.once("exit", stopOnExit);
  try {
    await waitForHealth(url, child, 180_000);
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    url,
    inspectorPort,
    createUser: async (login) => (await createLocalUserToken(login, { persistTo })).token,
    async crashAndRestart() {
      await end("SIGKILL");
      child = launch();
      await waitForHealth(url, child, 180_000);
    },
    stop: async () => {
      process.off("exit", stopOnExit);
      await stop();
    },
  };
}
