// Picks the sandbox provider a deployment is configured for (only the composition roots call this).
import { SandboxHostClient } from "./host-client.ts";
import type { SandboxProvider } from "./provider.ts";

/** Settings that name a sandbox host. */
type HostSettings = { SANDBOX_HOST_URL?: string; SANDBOX_HOST_TOKEN?: string };

/** The configured sandbox host's client, or null when none is configured. */
export function sandboxHostFrom(env: HostSettings): SandboxHostClient | null {
  if (!env.SANDBOX_HOST_URL || !env.SANDBOX_HOST_TOKEN) return null;
  return new SandboxHostClient({ url: env.SANDBOX_HOST_URL, token: env.SANDBOX_HOST_TOKEN });
}

/** The configured provider, or null when no sandbox host is configured. */
export function sandboxProviderFrom(env: HostSettings): SandboxProvider | null {
  return sandboxHostFrom(env);
}
