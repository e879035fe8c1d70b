// Where things are inside a container, and how a command is started as the sandbox user.
import { fileURLToPath } from "node:url";
import { ContainerRoleSchema, type ContainerRole } from "../../protocol/sandbox-container.ts";

/** The workspace every role works in. */
export const WORKSPACE = "/workspace";
/** Root-owned: the sandbox can read the inbox and write its outbox and port sockets, nothing else. */
export const CONTROL_DIR = "/run/tandem";
/** The sandbox's PATH. */
export const SANDBOX_PATH_ENV = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

/** The container server's settings, read once from its environment. */
export interface ContainerConfig {
  role: ContainerRole;
  port: number;
  /** The unprivileged uid (and gid) sandbox commands and build steps run as. */
  sandboxUid: number;
  /** The sandbox this container is (sandbox role); requests naming another are refused. */
  sandboxId: string | null;
  /** Root-only scratch space: archives, bundles, mirrors. */
  stateDir: string;
  agentPath: string;
}

const DEFAULT_AGENT = fileURLToPath(new URL("../../sandbox-host/agent/agent.pl", import.meta.url));

/** Reads the settings; the image sets the defaults, the Durable Object the role and sandbox id. */
export function containerConfig(env: NodeJS.ProcessEnv): ContainerConfig {
  const role = ContainerRoleSchema.safeParse(env.TANDEM_ROLE);
  if (!role.success) throw new Error("TANDEM_ROLE must be sandbox, build or git.");
  return {
    role: role.data,
    port: Number(env.TANDEM_PORT ?? 8080),
    sandboxUid: Number(env.TANDEM_SANDBOX_UID ?? 1000),
    sandboxId: env.TANDEM_SANDBOX_ID || null,
    stateDir: env.TANDEM_STATE_DIR ?? "/var/lib/tandem",
    agentPath: env.TANDEM_AGENT_PATH ?? DEFAULT_AGENT,
  };
}

/**
 * argv that runs `command` as the sandbox user: no capabilities, no way to gain privileges, and
 * at most `pids` processes of that user (RLIMIT_NPROC, set by root before the uid drop, so the
 * sandbox cannot raise it).
 */
export function asSandboxUser(uid: number, pids: number, command: string[]): string[] {
  return [
    "prlimit",
    `--nproc=${pids}:${pids}`,
    "--",
    "setpriv",
    `--reuid=${uid}`,
    `--regid=${uid}`,
    "--clear-groups",
    "--inh-caps=-all",
    "--bounding-set=-all",
    "--no-new-privs",
    "--",
    ...command,
  ];
}

/** The environment sandbox commands start from: nothing of the server's own. */
export function sandboxEnv(extra: Record<string, string>): Record<string, string> {
  return { PATH: SANDBOX_PATH_ENV, HOME: WORKSPACE, LANG: "C.UTF-8", ...extra };
}
