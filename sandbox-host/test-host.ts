// Starts a real sandbox host in this process for tests, over a temporary state folder.
import { spawnSync } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { randomSecret } from "../crypto/digest.ts";
import { SandboxHostClient } from "../sandbox/host-client.ts";
import type { HostConfig } from "./config.ts";
import { startHost, type RunningHost } from "./host.ts";

/** Why sandbox tests of a root host cannot run here, or null when they can. */
export function sandboxTestsUnavailable(): string | null {
  if (process.getuid?.() !== 0) return "the sandbox host needs root";
  return missingTool(["bwrap", "zstd", "setpriv"]);
}

/** Why a rootless host cannot run as `uid` here (this process's own uid when absent), or null. */
export function rootlessTestsUnavailable(uid?: number): string | null {
  const tool = missingTool(["bwrap", "zstd", "unshare", "setpriv"]);
  if (tool) return tool;
  const probe = ["unshare", "--user", "--map-root-user", "--", "true"];
  const argv =
    uid === undefined
      ? probe
      : ["setpriv", `--reuid=${uid}`, `--regid=${uid}`, "--clear-groups", "--", ...probe];
  if (spawnSync(argv[0]!, argv.slice(1)).status !== 0)
    return "this machine does not allow unprivileged user namespaces, which a rootless host needs";
  return null;
}

function missingTool(tools: string[]): string | null {
  for (const tool of tools) {
    if (spawnSync("sh", ["-c", `command -v ${tool}`]).status !== 0)
      return `${tool} is not installed`;
  }
  return null;
}

/** A host, a client for it, and how to stop both. */
export interface TestHost {
  host: RunningHost;
  client: SandboxHostClient;
  config: HostConfig;
  stop(): Promise<void>;
}

/** Starts a host on a free loopback port. */
export async function startTestHost(overrides: Partial<HostConfig> = {}): Promise<TestHost> {
  const stateDir = await mkdtemp(join(tmpdir(), "tandem-host-"));
  const config: HostConfig = {
    token: randomSecret("hst"),
    address: "127.0.0.1",
    port: 0,
    stateDir,
    sandboxUid: 64_000,
    workspaces: "auto",
    stopTimeoutMs: 20_000,
    controlPlane: null,
    ...overrides,
  };
  const host = await startHost(config, () => {}).catch(async (error: unknown) => {
    await rm(stateDir, { recursive: true, force: true });
    throw error;
  });
  return {
    host,
    config,
    client: new SandboxHostClient({ url: host.url, token: config.token }),
    async stop() {
      // The state folder goes next: nothing to save.
      await host.stop({ rescue: false });
      await rm(stateDir, { recursive: true, force: true, maxRetries: 3 });
    },
  };
}
