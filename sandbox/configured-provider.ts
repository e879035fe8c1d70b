// Picks the sandbox provider a deployment is configured for (only the composition roots call this).
import type { ResolveBranchRequest } from "../protocol/sandbox-host.ts";
import type { R2Like } from "./containers/blob-store.ts";
import { r2BlobStore } from "./containers/blob-store.ts";
import { containerNamespace, type ContainerBinding } from "./containers/container-calls.ts";
import { ContainersProvider } from "./containers/containers-provider.ts";
import { SANDBOX_PORT_PREFIX } from "./containers/port-route.ts";
import { SandboxHostClient } from "./host-client.ts";
import { SandboxFleet } from "./host-fleet.ts";
import type { SandboxProvider } from "./provider.ts";

/** Settings that name sandbox hosts: one URL, or several separated by commas (one token for all, or one each). */
type HostSettings = { SANDBOX_HOST_URL?: string; SANDBOX_HOST_TOKEN?: string };

/** Settings of Cloudflare Containers: the SandboxContainer binding and the bucket of images and
 * snapshots, both bound only in the `containers` deploy environment. */
type ContainerSettings = {
  SANDBOX_CONTAINER?: ContainerBinding;
  SANDBOX_STORE?: R2Like;
  PUBLIC_URL?: string;
};

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

/** Cloudflare Containers, when the deployment binds them; null otherwise. */
export function containersFrom(env: ContainerSettings): ConfiguredSandboxes | null {
  if (!env.SANDBOX_CONTAINER || !env.SANDBOX_STORE) return null;
  const origin = new URL(env.PUBLIC_URL || "http://127.0.0.1:8787").origin;
  return new ContainersProvider({
    containers: containerNamespace(env.SANDBOX_CONTAINER),
    store: r2BlobStore(env.SANDBOX_STORE),
    portBaseUrl: `${origin}${SANDBOX_PORT_PREFIX}`,
  });
}

/** Containers when bound, else the configured host or fleet; null when there is neither. */
export function configuredSandboxesFrom(
  env: HostSettings & ContainerSettings,
): ConfiguredSandboxes | null {
  return containersFrom(env) ?? sandboxHostFrom(env);
}

/** The configured provider, or null when none is configured. */
export function sandboxProviderFrom(env: HostSettings & ContainerSettings): SandboxProvider | null {
  return configuredSandboxesFrom(env);
}
