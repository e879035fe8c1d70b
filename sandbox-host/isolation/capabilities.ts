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
  bubblewrap: { path: string; version: string } | null;
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

/** Probes this host for real: mounts scratch overlays and creates the cgroup parent group. */
export async function probeCapabilities(
  options: { cgroupRoot?: string; cgroupGroup?: string } = {},
): Promise<HostCapabilities> {
  const root = process.getuid?.() === 0;
  const [bubblewrap, overlay, cgroups, seccomp] = await Promise.all([
    findBubblewrap(),
    root ? probeOverlay(false) : Promise.resolve(false),
    detectCgroups(options.cgroupRoot, options.cgroupGroup),
    probeSeccomp(),
  ]);
  const userxattrOverlay = root ? await probeOverlay(true) : false;
  const missing: string[] = [];
  if (!root)
    missing.push(
      "not running as root: cannot mount workspaces, set cgroup limits or switch to the sandbox uid",
    );
  if (!bubblewrap) missing.push(`no sandboxes: ${BUBBLEWRAP_INSTALL_HINT}`);
  if (root && !overlay) missing.push("no copy-on-write workspaces: overlayfs cannot be mounted");
  const why = (controller: string) =>
    cgroups.kind === "none"
      ? "no writable cgroup hierarchy"
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
    bubblewrap,
    overlay,
    userxattrOverlay,
    cgroups: { kind: cgroups.kind, ...cgroups.enforces },
    seccomp,
    network: "none",
    missing,
  };
}

/** Mounts a scratch overlay (in a fresh user namespace when `userxattr`) and writes through it. */
async function probeOverlay(userxattr: boolean): Promise<boolean> {
  const base = await mkdtemp(join(tmpdir(), "tandem-overlay-probe-"));
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
    await rm(base, { recursive: true, force: true });
  }
}

/** The filter needs seccomp with the errno and kill_process actions, and a syscall table. */
async function probeSeccomp(): Promise<boolean> {
  if (unsupportedArch(process.arch)) return false;
  const actions = await readFile("/proc/sys/kernel/seccomp/actions_avail", "utf8").catch(() => "");
  const available = actions.trim().split(/\s+/);
  return ["kill_process", "errno", "allow"].every((a) => available.includes(a));
}
