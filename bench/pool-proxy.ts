// The RepoPool Durable Objects of a running `wrangler dev`, reached from this Node process through
// wrangler's getPlatformProxy and the dev registry, so that their RPC methods can be timed from outside.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { getPlatformProxy } from "wrangler";
import type { PoolStatus } from "../protocol/registry.ts";

/** The Worker's `name` in wrangler.toml: `wrangler dev` announces its Durable Objects under it. */
const PLATFORM_WORKER_NAME = "tandem";
/** The `compatibility_date` of wrangler.toml, so that both runtimes agree on RPC behaviour. */
const COMPATIBILITY_DATE = "2026-08-01";

/** The RepoPool RPC methods the benchmark calls (RepoPoolObject's, made async by the stub). */
export interface PoolStub {
  claim(): Promise<string | null>;
  status(): Promise<PoolStatus>;
}

interface ProxyEnv {
  REPO_POOL: { idFromName(name: string): unknown; get(id: unknown): PoolStub };
}

/** Stubs of the platform's pools, and how to let go of them. */
export interface PoolProxy {
  /** The stub of one repository's pool, named as the Worker names it (`owner/name`). */
  pool(repo: string): PoolStub;
  dispose(): Promise<void>;
}

/**
 * Connects to the pools of the `wrangler dev` that announces itself in `devRegistryPath`. The
 * binding names that Worker by `script_name`, which getPlatformProxy resolves through the dev
 * registry, so every call crosses two local hops a Worker's own call does not: Node → the proxy's
 * workerd (HTTP), and that workerd → the platform's workerd (the dev registry's HTTP bridge).
 */
export async function connectToPools(devRegistryPath: string): Promise<PoolProxy> {
  // getPlatformProxy reads a config file, and keeps a `.wrangler/tmp` beside it while it runs.
  const dir = await mkdtemp(join(tmpdir(), "tandem-bench-proxy-"));
  try {
    const configPath = join(dir, "wrangler.json");
    await writeFile(
      configPath,
      JSON.stringify({
        name: "tandem-bench-pool-proxy",
        compatibility_date: COMPATIBILITY_DATE,
        durable_objects: {
          bindings: [
            { name: "REPO_POOL", class_name: "RepoPoolObject", script_name: PLATFORM_WORKER_NAME },
          ],
        },
      }),
    );
    const proxy = await withoutSignalExits(() =>
      withRegistryPath(devRegistryPath, () =>
        getPlatformProxy<ProxyEnv>({
          configPath,
          persist: false,
          remoteBindings: false,
          envFiles: [],
        }),
      ),
    );
    const namespace = proxy.env.REPO_POOL;
    return {
      pool: (repo) => namespace.get(namespace.idFromName(repo)),
      async dispose() {
        await proxy.dispose().finally(() => rm(dir, { recursive: true, force: true }));
      },
    };
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
}

/** Runs `start` with WRANGLER_REGISTRY_PATH set: getPlatformProxy takes the dev registry's folder
 * only from the environment, and reads it once, while it starts. */
async function withRegistryPath<T>(path: string, start: () => Promise<T>): Promise<T> {
  const before = process.env.WRANGLER_REGISTRY_PATH;
  process.env.WRANGLER_REGISTRY_PATH = path;
  try {
    return await start();
  } finally {
    if (before === undefined) delete process.env.WRANGLER_REGISTRY_PATH;
    else process.env.WRANGLER_REGISTRY_PATH = before;
  }
}

const EXIT_SIGNALS = ["SIGINT", "SIGTERM"] as const;

/**
 * Runs `start` and removes the SIGINT and SIGTERM listeners it added. Miniflare's exit hook
 * answers those signals with process.exit(), which would skip the run's cleanup (sandboxes,
 * overlay mounts, the platform); the run's own handlers stop everything, the proxy included, and
 * the hook's "exit" listener, which stays, still stops the proxy's workerd if the process dies.
 */
async function withoutSignalExits<T>(start: () => Promise<T>): Promise<T> {
  const before = new Map(EXIT_SIGNALS.map((signal) => [signal, process.listeners(signal)]));
  try {
    return await start();
  } finally {
    for (const signal of EXIT_SIGNALS) {
      const kept = before.get(signal) ?? [];
      for (const listener of process.listeners(signal))
        if (!kept.includes(listener)) process.off(signal, listener);
    }
  }
}
