// What isolation this host can enforce, probed once at daemon start and reported to operators.
import { execFile } from "node:child_process";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { BUBBLEWRAP_INSTALL_HINT, findBubblewrap } from "./bwrap.ts";
import { detectCgroups, type CgroupAdapter } from "./cgroups.ts";
import { mountOverlay, unmount } from "./overlay.ts";
import { unsupportedArch } from "./seccomp.ts";

const run = promisify(execFile);

/** The isolation features available on this host. */
export interface HostCapabilities {
  root: boolean;
  /** The host's own uid: what rootless sandboxes run as on the host. */
  uid: number;
  bubblewrap: { path: string; version: string } | null;
  /** Unprivileged user namespaces: rootless sandboxes need them (a root host always has them). */
  userNamespaces: boolean;
  overlay: boolean;
  /** overlayfs accepts `userxattr` inside a user namespace (Linux ≥ 5.11). */
  userxattrOverlay: boolean;
  cgroups: { kind: CgroupAdapter["kind"]; memory: boolean; pids: boolean; cpu: boolean };
  seccomp: boolean;
  /** Sandboxes never get a network; the one control socket is a bound unix socket. */
  network: "none";
  /** Human sentences naming what this host cannot enforce. */
  missing: string[];
}

/** What to probe with: where cgroups are (or the adapter already chosen), and a scratch folder on
 * the filesystem workspaces will live on (overlayfs in a user namespace depends on it). */
export interface ProbeOptions {
  cgroupRoot?: string;
  cgroupGroup?: string;
  cgroups?: CgroupAdapter;
  scratchDir?: string;
}

/** Probes this host for real: mounts scratch overlays and creates the cgroup parent group. */
export async function probeCapabilities(options: ProbeOptions = {}): Promise<HostCapabilities> {
  const uid = process.getuid?.() ?? -1;
  const root = uid === 0;
  const scratch = options.scratchDir ?? tmpdir();
  const [bubblewrap, overlay, cgroups, seccomp, userNamespaces] = await Promise.all([
    findBubblewrap(),
    root ? probeOverlay(false, scratch) : Promise.resolve(false),
    options.cgroups ?? detectCgroups(options.cgroupRoot, options.cgroupGroup),
    probeSeccomp(),
    root ? Promise.resolve(true) : probeUserNamespaces(),
  ]);
  const userxattrOverlay = userNamespaces ? await probeOverlay(true, scratch) : false;
  const missing: string[] = [];
  if (!root) {
    missing.push(
      `rootless: sandboxes run as this host's own user (uid ${uid}), mapped to the sandbox uid inside, not as a separate host uid`,
    );
  }
  if (!bubblewrap) missing.push(`no sandboxes: ${BUBBLEWRAP_INSTALL_HINT}`);
  if (!userNamespaces) missing.push(`no sandboxes: ${USERNS_HINT}`);
  if (root && !overlay) missing.push("no copy-on-write workspaces: overlayfs cannot be mounted");
  if (!root && userNamespaces && !userxattrOverlay) {
    missing.push(
      "no copy-on-write workspaces: overlayfs cannot be mounted in a user namespace here (it needs Linux 5.11 or later); each sandbox starts from a full copy of its image",
    );
  }
  const why = (controller: string) =>
    cgroups.kind === "none"
      ? root
        ? "no writable cgroup hierarchy"
        : "no writable cgroup hierarchy (not root, and no cgroup v2 subtree delegated to this user)"
      : `cgroup ${controller} controller not writable`;
  if (!cgroups.enforces.memory) missing.push(`no memory limits: ${why("memory")}`);
  if (!cgroups.enforces.pids) missing.push(`no process-count limits: ${why("pids")}`);
  if (!cgroups.enforces.cpu) missing.push(`no CPU limits: ${why("cpu")}`);
  if (!seccomp) {
    missing.push(
      unsupportedArch(process.arch)
        ? `no syscall filter: no seccomp table for architecture ${process.arch}`
        : "no syscall filter: the kernel does not offer seccomp errno/kill_process actions",
    );
  }
  return {
    root,
    uid,
    bubblewrap,
    userNamespaces,
    overlay,
    userxattrOverlay,
    cgroups: { kind: cgroups.kind, ...cgroups.enforces },
    seccomp,
    network: "none",
    missing,
  };
}

/** Shown when a rootless host cannot create user namespaces. */
export const USERNS_HINT =
  "this host is not root and cannot create user namespaces; run it as root, or allow unprivileged user namespaces (sysctl kernel.unprivileged_userns_clone=1 and user.max_user_namespaces > 0)";

/** Whether this user may create a user namespace and become root in it. */
async function probeUserNamespaces(): Promise<boolean> {
  try {
    await run("unshare", ["--user", "--map-root-user", "--", "true"], { timeout: 5000 });
    return true;
  } catch {
    return false;
  }
}

/** Mounts a scratch overlay (in a fresh user namespace when `userxattr`) and writes through it. */
async function probeOverlay(userxattr: boolean, scratchDir: string): Promise<boolean> {
  const base = await mkdtemp(join(scratchDir, "tandem-overlay-probe-")).catch(() => null);
  if (!base) return false;
  const dirs = {
    lower: join(base, "l"),
    upper: join(base, "u"),
    work: join(base, "w"),
    merged: join(base, "m"),
  };
  try {
    for (const d of Object.values(dirs)) await mkdir(d);
    if (!userxattr) {
      await mountOverlay(dirs);
      try {
        await writeFile(join(dirs.merged, "probe"), "ok");
      } finally {
        await unmount(dirs.merged);
      }
      return (await readFile(join(dirs.upper, "probe"), "utf8")) === "ok";
    }
    const options = `lowerdir=${dirs.lower},upperdir=${dirs.upper},workdir=${dirs.work},userxattr`;
    const script = 'mount -t overlay overlay -o "$1" "$2" && echo ok > "$2/probe"';
    await run(
      "unshare",
      ["--user", "--map-root-user", "--mount", "sh", "-c", script, "sh", options, dirs.merged],
      {
        timeout: 5000,
      },
    );
    return (await readFile(join(dirs.upper, "probe"), "utf8")) === "ok\n";
  } catch {
    return false;
  } finally {
    // The overlay leaves a mode-000 work folder that only root, or root of a user namespace of
    // this user, may empty.
    await rm(base, { recursive: true, force: true }).catch(() =>
      run("unshare", ["--user", "--map-root-user", "--", "rm", "-rf", "--", base]).catch(() => {}),
    );
  }
}

/** The filter needs seccomp with the errno and kill_process actions, and a syscall table. */
async function probeSeccomp(): Promise<boolean> {
  if (unsupportedArch(process.arch)) return false;
  const actions = await readFile("/proc/sys/kernel/seccomp/actions_avail", "utf8").catch(() => "");
  const available = actions.trim().split(/\s+/);
  return ["kill_process", "errno", "allow"].every((a) => available.includes(a));
}
