// The bubblewrap command line that starts one sandbox: no network, no host paths beyond a
// read-only /usr and a few /etc files, the workspace at /workspace, an unprivileged uid. A root
// host drops to the sandbox's own host uid first; a rootless one lets bwrap map its own user.
import { execFile } from "node:child_process";
import { lstatSync, readlinkSync } from "node:fs";
import { access, constants, writeFile } from "node:fs/promises";
import { delimiter, join } from "node:path";
import { promisify } from "node:util";
import { joinScript, shellQuote, type CgroupHandle } from "./cgroups.ts";
import { overlayOptions, type OverlayDirs } from "./overlay.ts";

const run = promisify(execFile);

/** Where things appear inside the sandbox. */
export const SANDBOX_PATHS = {
  workspace: "/workspace",
  controlSocketDir: "/run/tandem",
  agent: "/opt/tandem/agent.pl",
} as const;

/** The name of the sandbox user in the generated /etc/passwd. */
export const SANDBOX_USER = "tandem";

export const SANDBOX_PATH_ENV = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

/** Shown when bwrap is missing. */
export const BUBBLEWRAP_INSTALL_HINT =
  "bubblewrap (bwrap) is not installed; sandboxes need it: run `apt-get install -y bubblewrap`";

/** Everything needed to start one sandbox. Every host path here is opened by bwrap as
 * `uid` (as the host's own user when rootless), so it and all its parent directories must be
 * reachable (x) by that uid. */
export interface SandboxLaunch {
  /** Host path of the merged overlay (or of the workspace itself), bound at /workspace. */
  workspace: string;
  /** The uid and gid the sandbox runs as: on the host as root; inside only when rootless. */
  uid: number;
  gid: number;
  /** The host is not root: bwrap maps `uid`/`gid` onto the host's own user instead of setpriv
   * switching to them, and drops every capability itself. */
  rootless?: boolean;
  /** Rootless overlay: mounted (with `userxattr`) at `workspace` inside a user and mount
   * namespace the host owns, right before bwrap starts in it; gone when the sandbox is. */
  overlay?: Omit<OverlayDirs, "merged" | "userxattr">;
  /** Folders of controlSocketDir bound on their own, so the sandbox can neither write to the
   * read-only ones nor rename or replace any of them. A rootless sandbox's uid owns its control
   * folder on the host, so file modes alone cannot keep it out. */
  controlMounts?: { readOnly: string[]; writable: string[] };
  env: Record<string, string>;
  hostname: string;
  /** Host dir bound at /run/tandem (holds the one forwarded control-plane unix socket). */
  controlSocketDir?: string;
  /** Fd number, in the spawned process, of a file or pipe holding seccompFilter()'s bytes
   * (e.g. 3 when passed as `stdio[3]`); bwrap reads it to the end. */
  seccompFd?: number;
  /** Host path of the in-sandbox agent script, bound read-only at /opt/tandem/agent.pl. */
  agentPath: string;
  cgroup?: CgroupHandle;
  /** Host dir holding passwd, group and hosts from writeEtcFiles(), bound into /etc. */
  etcDir?: string;
  /** Replaces `/usr/bin/perl /opt/tandem/agent.pl` (tests, image builds). */
  command?: string[];
  /** bwrap binary; looked up on PATH when absent. */
  bwrapPath?: string;
}

// Host /etc entries a toolchain needs (certificates, alternatives symlinks); each only if present.
const ETC_READ_ONLY = [
  "/etc/alternatives",
  "/etc/ssl",
  "/etc/ca-certificates",
  "/etc/ca-certificates.conf",
  "/etc/localtime",
  "/etc/nsswitch.conf",
  "/etc/perl",
];

/** The bwrap arguments for one sandbox, ending with `--` and the command. */
export function bwrapArgs(launch: SandboxLaunch): string[] {
  const args = [
    "--unshare-all", // user, ipc, pid, net, uts, cgroup namespaces: no network at all
    "--unshare-user",
    "--disable-userns", // no nested user namespaces, so no way back to mount or net privileges
    "--die-with-parent",
    "--new-session", // no TIOCSTI into the daemon's terminal
    "--clearenv",
    "--hostname",
    launch.hostname,
    "--ro-bind",
    "/usr",
    "/usr",
  ];
  // Rootless, bwrap starts as the host's user (or as root of the host's own user namespace) and
  // maps it to the sandbox uid; no capability survives, not even in the bounding set.
  if (launch.rootless)
    args.push("--uid", String(launch.uid), "--gid", String(launch.gid), "--cap-drop", "ALL");
  for (const [path, entry] of hostRootLinks()) {
    if (entry.kind === "symlink") args.push("--symlink", entry.target, path);
    else args.push("--ro-bind", path, path);
  }
  for (const path of ETC_READ_ONLY) args.push("--ro-bind-try", path, path);
  if (launch.etcDir) {
    for (const file of ETC_GENERATED)
      args.push("--ro-bind", join(launch.etcDir, file), `/etc/${file}`);
  }
  args.push("--proc", "/proc", "--dev", "/dev", "--tmpfs", "/tmp");
  args.push(
    "--bind",
    launch.workspace,
    SANDBOX_PATHS.workspace,
    "--chdir",
    SANDBOX_PATHS.workspace,
  );
  const env: Record<string, string> = {
    PATH: SANDBOX_PATH_ENV,
    HOME: SANDBOX_PATHS.workspace,
    LANG: "C.UTF-8",
    ...launch.env,
  };
  for (const [name, value] of Object.entries(env)) {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name))
      throw new Error(`invalid environment variable name ${JSON.stringify(name)}`);
    if (value.includes("\0")) throw new Error(`environment variable ${name} contains a NUL byte`);
    args.push("--setenv", name, value);
  }
  if (launch.controlSocketDir) {
    const dir = launch.controlSocketDir;
    args.push("--bind", dir, SANDBOX_PATHS.controlSocketDir);
    for (const name of launch.controlMounts?.readOnly ?? [])
      args.push("--ro-bind", join(dir, name), join(SANDBOX_PATHS.controlSocketDir, name));
    for (const name of launch.controlMounts?.writable ?? [])
      args.push("--bind", join(dir, name), join(SANDBOX_PATHS.controlSocketDir, name));
  }
  // A launch with its own command (an image build step) has no agent to bind.
  if (!launch.command) args.push("--ro-bind", launch.agentPath, SANDBOX_PATHS.agent);
  // bwrap installs the filter right before it execs the command, so its own setup is unfiltered.
  if (launch.seccompFd !== undefined) args.push("--seccomp", String(launch.seccompFd));
  args.push("--", ...(launch.command ?? ["/usr/bin/perl", SANDBOX_PATHS.agent]));
  return args;
}

/** The full argv the daemon spawns: join the cgroup in a shell, then (root) drop to the sandbox
 * uid with no capabilities, or (rootless) enter a user and mount namespace of the host's own
 * and mount the overlay there, and exec bwrap. Joining before exec leaves no unlimited window;
 * every step execs the next, so bwrap is the daemon's child and dies with it. */
export function launchCommand(launch: SandboxLaunch): { command: string; args: string[] } {
  const bwrap = [launch.bwrapPath ?? "bwrap", ...bwrapArgs(launch)];
  const command = launch.rootless ? rootlessCommand(launch, bwrap) : asSandboxUid(launch, bwrap);
  const join = launch.cgroup ? joinScript(launch.cgroup) : "";
  if (!join) return { command: command[0]!, args: command.slice(1) };
  return { command: "/bin/sh", args: ["-c", `${join}exec "$@"`, "sh", ...command] };
}

function asSandboxUid(launch: SandboxLaunch, bwrap: string[]): string[] {
  return [
    "setpriv",
    `--reuid=${launch.uid}`,
    `--regid=${launch.gid}`,
    "--clear-groups",
    "--inh-caps=-all",
    "--bounding-set=-all",
    "--",
    ...bwrap,
  ];
}

// Runs in the new namespaces: "$1" is the overlay's options, "$2" where to mount it, then bwrap.
const MOUNT_THEN_EXEC = 'mount -t overlay overlay -o "$1" "$2" || exit 125; shift 2; exec "$@"';

/** The overlay's mount exists only in a mount namespace owned by the host's own user namespace,
 * so no host mount is left behind and the upper layer stays a plain folder on the host. */
function rootlessCommand(launch: SandboxLaunch, bwrap: string[]): string[] {
  if (!launch.overlay) return bwrap;
  const options = overlayOptions({ ...launch.overlay, userxattr: true });
  return [
    "unshare",
    "--user",
    "--map-root-user",
    "--mount",
    "--",
    "/bin/sh",
    "-c",
    MOUNT_THEN_EXEC,
    "sh",
    options,
    launch.workspace,
    ...bwrap,
  ];
}

/** Finds bwrap on PATH and reads its version. */
export async function findBubblewrap(): Promise<{ path: string; version: string } | null> {
  for (const dir of (process.env.PATH ?? "/usr/bin:/bin").split(delimiter)) {
    if (!dir) continue;
    const path = join(dir, "bwrap");
    try {
      await access(path, constants.X_OK);
      const { stdout } = await run(path, ["--version"], { timeout: 5000 });
      return { path, version: stdout.trim().replace(/^bubblewrap\s+/, "") };
    } catch {
      // Not here, or not runnable.
    }
  }
  return null;
}

const ETC_GENERATED = ["passwd", "group", "hosts"] as const;

/** Writes the /etc/passwd, /etc/group and /etc/hosts a sandbox sees into `dir` (for `etcDir`):
 * the sandbox uid is "tandem" with home /workspace. One directory serves every sandbox that
 * shares a uid, gid and hostname. */
export async function writeEtcFiles(
  dir: string,
  ids: { uid: number; gid: number; hostname: string },
): Promise<void> {
  const { uid, gid, hostname } = ids;
  const files: Record<(typeof ETC_GENERATED)[number], string> = {
    passwd: `root:x:0:0:root:/root:/usr/sbin/nologin\n${SANDBOX_USER}:x:${uid}:${gid}:Tandem sandbox:${SANDBOX_PATHS.workspace}:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n`,
    group: `root:x:0:\n${SANDBOX_USER}:x:${gid}:\nnogroup:x:65534:\n`,
    hosts: `127.0.0.1\tlocalhost ${hostname}\n::1\tlocalhost ip6-localhost ip6-loopback\n`,
  };
  for (const [name, text] of Object.entries(files))
    await writeFile(join(dir, name), text, { mode: 0o644 });
}

type RootLink = { kind: "symlink"; target: string } | { kind: "dir" };
let rootLinks: Map<string, RootLink> | undefined;

/** /bin, /lib, /lib64, /sbin (and 32-bit lib dirs) as they exist on the host: symlinks into
 * /usr on merged-usr systems, real directories otherwise. Read once: a few lstat calls that
 * cannot change while the daemon runs, kept synchronous so bwrapArgs stays a pure builder. */
function hostRootLinks(): Map<string, RootLink> {
  if (rootLinks) return rootLinks;
  rootLinks = new Map();
  for (const path of ["/bin", "/sbin", "/lib", "/lib64", "/lib32", "/libx32"]) {
    try {
      const stat = lstatSync(path);
      if (stat.isSymbolicLink())
        rootLinks.set(path, { kind: "symlink", target: readlinkSync(path) });
      else if (stat.isDirectory()) rootLinks.set(path, { kind: "dir" });
    } catch {
      // Absent on this host.
    }
  }
  return rootLinks;
}

/** The launch command as one shell line, for logs and debugging. */
export function describeLaunch(launch: SandboxLaunch): string {
  const { command, args } = launchCommand(launch);
  return [command, ...args].map(shellQuote).join(" ");
}
