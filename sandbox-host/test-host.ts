// Starts a real sandbox host in this process for tests, over a temporary state folder.
import { spawnSync } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { randomSecret } from "../crypto/digest.ts";
import { SandboxHostClient } from "../sandbox/host-client.ts";
import type { HostConfig } from "./config.ts";
import { startHost, type RunningHost } from "./host.ts";

/** Why sandbox tests cannot run here, or null when they can. */
export function sandboxTestsUnavailable(): string | null {
  if (process.getuid?.() !== 0) return "the sandbox host needs root";
  for (const tool of ["bwrap", "zstd", "setpriv"]) {
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
      await host.stop();
      await rm(stateDir, { recursive: true, force: true, maxRetries: 3 });
    },
  };
}
