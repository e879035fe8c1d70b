// Picks the sandbox provider a deployment is configured for (only the composition roots call this).
import type { ResolveBranchRequest } from "../protocol/sandbox-host.ts";
import { SandboxHostClient } from "./host-client.ts";
import { SandboxFleet } from "./host-fleet.ts";
import type { SandboxProvider } from "./provider.ts";

/** Settings that name sandbox hosts: one URL, or several separated by commas (one token for all, or one each). */
type HostSettings = { SANDBOX_HOST_URL?: string; SANDBOX_HOST_TOKEN?: string };

/** A provider that can also read branch heads (the cron asks it). */
export type ConfiguredSandboxes = SandboxProvider & {
  resolveBranch(request: ResolveBranchRequest): Promise<string>;
};

/** The configured host or fleet of hosts, or null when none is configured. */
export function sandboxHostFrom(env: HostSettings): ConfiguredSandboxes | null {
  const urls = (env.SANDBOX_HOST_URL ?? "")
    .split(",")
    .map((u) => u.trim())
    .filter(Boolean);
  const tokens = (env.SANDBOX_HOST_TOKEN ?? "")
    .split(",")
    .map((t) => t.trim())
    .filter(Boolean);
  if (urls.length === 0 || tokens.length === 0) return null;
  const clients = urls.map(
    (url, i) => new SandboxHostClient({ url, token: tokens[Math.min(i, tokens.length - 1)]! }),
  );
  if (clients.length === 1) return clients[0]!;
  return new SandboxFleet(clients.map((client, i) => ({ name: urls[i]!, client })));
}

/** The configured provider, or null when no sandbox host is configured. */
export function sandboxProviderFrom(env: HostSettings): SandboxProvider | null {
  return sandboxHostFrom(env);
}
