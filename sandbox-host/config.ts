// The sandbox host's settings, read once from the environment at start.
import { z } from "zod";

const ConfigSchema = z.object({
  TANDEM_HOST_TOKEN: z.string().min(32, "TANDEM_HOST_TOKEN must be at least 32 characters"),
  TANDEM_HOST_ADDRESS: z.string().default("127.0.0.1"),
  TANDEM_HOST_PORT: z.coerce.number().int().min(0).max(65_535).default(8790),
  TANDEM_HOST_STATE: z.string().default(".tandem-dev/sandbox-host"),
  TANDEM_SANDBOX_UID: z.coerce.number().int().min(1000).default(64_000),
  TANDEM_HOST_WORKSPACES: z.enum(["auto", "copy"]).default("auto"),
  TANDEM_HOST_STOP_TIMEOUT_MS: z.coerce.number().int().min(0).max(600_000).default(20_000),
  /** host:port of the control plane, forwarded into each sandbox as /run/tandem/control.sock. */
  TANDEM_CONTROL_PLANE: z
    .string()
    .regex(/^[\w.-]+:\d+$/)
    .optional(),
});

/** The sandbox host's configuration. */
export interface HostConfig {
  token: string;
  address: string;
  port: number;
  stateDir: string;
  /** The sandbox's uid (and gid): on the host as root; inside the sandbox when rootless. */
  sandboxUid: number;
  /** "copy" gives each sandbox a full copy of its image even where overlays work. */
  workspaces: "auto" | "copy";
  /** How long a stop may spend saving running sandboxes before the host exits. */
  stopTimeoutMs: number;
  controlPlane: { host: string; port: number } | null;
}

/** Reads the configuration; a bad value stops the host with a message naming it. */
export function readConfig(env: NodeJS.ProcessEnv): HostConfig {
  const parsed = ConfigSchema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new Error(`sandbox host configuration: ${issue.path.join(".")}: ${issue.message}`);
  }
  const c = parsed.data;
  const [host, port] = c.TANDEM_CONTROL_PLANE?.split(":") ?? [];
  return {
    token: c.TANDEM_HOST_TOKEN,
    address: c.TANDEM_HOST_ADDRESS,
    port: c.TANDEM_HOST_PORT,
    stateDir: c.TANDEM_HOST_STATE,
    sandboxUid: c.TANDEM_SANDBOX_UID,
    workspaces: c.TANDEM_HOST_WORKSPACES,
    stopTimeoutMs: c.TANDEM_HOST_STOP_TIMEOUT_MS,
    controlPlane: host && port ? { host, port: Number(port) } : null,
  };
}
