// Picks the sandbox provider a deployment is configured for (only the composition roots call this).
import { SandboxHostClient } from "./host-client.ts";
import type { SandboxProvider } from "./provider.ts";

/** The configured provider, or null when no sandbox host is configured. */
export function sandboxProviderFrom(env: { SANDBOX_HOST_URL?: string; SANDBOX_HOST_TOKEN?: string }): SandboxProvider | null {
  if (!env.SANDBOX_HOST_URL || !env.SANDBOX_HOST_TOKEN) return null;
  return new SandboxHostClient({ url: env.SANDBOX_HOST_URL, token: env.SANDBOX_HOST_TOKEN });
}
