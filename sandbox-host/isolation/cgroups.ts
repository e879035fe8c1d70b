// Resource limits for sandboxes through cgroups: one small adapter per host layout
// (v1 controllers, delegated v2, or none), chosen once by detectCgroups().
import { constants } from "node:fs";
import { access, mkdir, readdir, readFile, rmdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";

/** Limits for one sandbox; a value ≤ 0 or non-finite means "no limit". */
export interface Limits {
  memoryBytes: number;
  pids: number;
  /** CPU time per wall second, in thousandths of a core: 1000 = one core. */
  cpuMillis: number;
}

/** One way of placing sandboxes in cgroups on this host. */
export interface CgroupAdapter {
  readonly kind: "v1" | "v2" | "none";
  readonly enforces: { memory: boolean; pids: boolean; cpu: boolean };
  /** Creates the cgroup `name` with `limits`; fails if it already exists (remove() it first). */
  create(name: string, limits: Limits): Promise<CgroupHandle>;
  /** Kills whatever is left in `name` and deletes it; no error if it does not exist. */
  remove(name: string): Promise<void>;
  /** Names of our cgroups that exist, for crash reconciliation. */
  list(): Promise<string[]>;
  /** Removes the (empty) group folder itself when the host stops. */
  dispose(): Promise<void>;
}

/** A created cgroup. */
export interface CgroupHandle {
  name: string;
  /** Files a process writes its pid into to join. */
  procsFiles: string[];
  memoryPeakBytes(): Promise<number | null>;
}

type Controller = "memory" | "pids" | "cpu";
const CONTROLLERS: readonly Controller[] = ["memory", "pids", "cpu"];
const CPU_PERIOD_US = 100_000;
const KILL_ATTEMPTS = 50;
const KILL_RETRY_MS = 20;

/** Chooses the adapter for this host: v2 when `root` is a cgroup2 mount with the controllers
 * delegated to us, v1 when its per-controller hierarchies are writable, otherwise "none". A
 * host that is not root can only use a v2 subtree delegated to its user (see detectDelegated). */
export async function detectCgroups(
  root = "/sys/fs/cgroup",
  group = "tandem",
): Promise<CgroupAdapter> {
  assertName(group);
  if (process.getuid?.() !== 0) return (await detectDelegated(root, group)) ?? noCgroups();
  if (await exists(join(root, "cgroup.controllers")))
    return (await detectV2(root, group)) ?? noCgroups();
  return (await detectV1(root, group)) ?? noCgroups();
}

/** The leaf a rootless host moves itself into, inside the cgroup delegated to it. */
export const DAEMON_LEAF = "daemon";

/**
 * The adapter inside the cgroup v2 subtree a service manager delegated to this user (systemd's
 * `Delegate=yes`): the host's own cgroup (from /proc/self/cgroup, or `ownCgroup`), when this user
 * may create cgroups and move processes there. cgroup v2 enables controllers for the children of
 * a cgroup only while it holds no process itself, so the host first moves itself into a leaf.
 */
export async function detectDelegated(
  root: string,
  group: string,
  ownCgroup?: string,
): Promise<CgroupAdapter | null> {
  const mount = (await exists(join(root, "cgroup.controllers")))
    ? root
    : (await exists(join(root, "unified", "cgroup.controllers")))
      ? join(root, "unified")
      : null;
  const own = ownCgroup ?? (await ownV2Cgroup());
  if (!mount || own === null) return null;
  const dir = join(mount, own);
  try {
    for (const file of ["", "cgroup.procs", "cgroup.subtree_control"])
      await access(join(dir, file), constants.W_OK);
  } catch {
    return null;
  }
  const available = (await readFile(join(dir, "cgroup.controllers"), "utf8").catch(() => ""))
    .trim()
    .split(/\s+/);
  if (!CONTROLLERS.some((c) => available.includes(c))) return null;
  try {
    await mkdir(join(dir, DAEMON_LEAF), { recursive: true });
    await writeFile(join(dir, DAEMON_LEAF, "cgroup.procs"), String(process.pid));
  } catch {
    return null;
  }
  return detectV2(dir, group);
}

/** This process's cgroup v2 path ("0::/path" in /proc/self/cgroup), or null. */
async function ownV2Cgroup(): Promise<string | null> {
  const text = await readFile("/proc/self/cgroup", "utf8").catch(() => "");
  const line = text.split("\n").find((l) => l.startsWith("0::"));
  return line ? line.slice(3) : null;
}

/** POSIX sh that moves the running shell into the cgroup; prefix it to `exec "$@"` so the
 * command starts inside its limits. Exits 125 if joining fails rather than run unlimited. */
export function joinScript(handle: CgroupHandle): string {
  return handle.procsFiles.map((file) => `echo $$ > ${shellQuote(file)} || exit 125; `).join("");
}

/** The adapter for hosts where limits cannot be enforced. */
export function noCgroups(): CgroupAdapter {
  return {
    kind: "none",
    enforces: { memory: false, pids: false, cpu: false },
    async create(name) {
      assertName(name);
      return { name, procsFiles: [], memoryPeakBytes: async () => null };
    },
    async remove() {},
    async list() {
      return [];
    },
    async dispose() {},
  };
}

async function detectV1(root: string, group: string): Promise<CgroupAdapter | null> {
  // The file that proves each controller can limit, checked in our own group directory.
  const probe: Record<Controller, string> = {
    memory: "memory.limit_in_bytes",
    pids: "pids.max",
    cpu: "cpu.cfs_quota_us",
  };
  const dirs = new Map<Controller, string>();
  for (const c of CONTROLLERS) {
    const dir = join(root, c, group);
    // Only inside a mounted hierarchy: a recursive mkdir would otherwise invent one on the tmpfs.
    if (!(await exists(join(root, c, "cgroup.procs")))) continue;
    try {
      await mkdir(dir, { recursive: true });
      await access(join(dir, probe[c]));
      dirs.set(c, dir);
    } catch {
      // Controller not mounted, read-only or not configured: it stays unenforced.
    }
  }
  if (dirs.size === 0) return null;
  const groupDirs = [...dirs.values()];
  return {
    kind: "v1",
    enforces: { memory: dirs.has("memory"), pids: dirs.has("pids"), cpu: dirs.has("cpu") },
    async create(name, limits) {
      assertName(name);
      const made: string[] = [];
      try {
        for (const [c, dir] of dirs) {
          const path = join(dir, name);
          await mkdir(path);
          made.push(path);
          await writeV1Limits(c, path, limits);
        }
      } catch (error) {
        for (const path of made.reverse()) await removeCgroup(path, false);
        throw error;
      }
      const memory = dirs.get("memory");
      return {
        name,
        procsFiles: made.map((path) => join(path, "cgroup.procs")),
        memoryPeakBytes: async () =>
          memory ? readNumber(join(memory, name, "memory.max_usage_in_bytes")) : null,
      };
    },
    async remove(name) {
      assertName(name);
      for (const dir of groupDirs) await removeCgroup(join(dir, name), false);
    },
    async list() {
      const names = new Set<string>();
      for (const dir of groupDirs) for (const n of await subdirs(dir)) names.add(n);
      return [...names].sort();
    },
    async dispose() {
      for (const dir of groupDirs) await rmdir(dir).catch(() => {});
    },
  };
}

async function writeV1Limits(c: Controller, path: string, limits: Limits): Promise<void> {
  if (c === "memory") {
    const bytes = limited(limits.memoryBytes) ? String(Math.floor(limits.memoryBytes)) : "-1";
    await writeFile(join(path, "memory.limit_in_bytes"), bytes);
    // memory+swap must be capped too, or a process can page out past the memory limit.
    await writeIfPresent(join(path, "memory.memsw.limit_in_bytes"), bytes);
    await writeFile(join(path, "memory.swappiness"), "0").catch(() => {});
  } else if (c === "pids") {
    await writeFile(
      join(path, "pids.max"),
      limited(limits.pids) ? String(Math.floor(limits.pids)) : "max",
    );
  } else {
    await writeFile(join(path, "cpu.cfs_period_us"), String(CPU_PERIOD_US));
    await writeFile(
      join(path, "cpu.cfs_quota_us"),
      limited(limits.cpuMillis) ? String(cpuQuotaUs(limits)) : "-1",
    );
  }
}

async function detectV2(root: string, group: string): Promise<CgroupAdapter | null> {
  const dir = join(root, group);
  try {
    await mkdir(dir, { recursive: true });
  } catch {
    return null;
  }
  // Controllers must be enabled in the parent's subtree_control to appear in our children.
  for (const c of CONTROLLERS) {
    await writeFile(join(root, "cgroup.subtree_control"), `+${c}`).catch(() => {});
    await writeFile(join(dir, "cgroup.subtree_control"), `+${c}`).catch(() => {});
  }
  const enabled = (
    await readFile(join(dir, "cgroup.subtree_control"), "utf8").catch(() => "")
  ).split(/\s+/);
  const enforces = {
    memory: enabled.includes("memory"),
    pids: enabled.includes("pids"),
    cpu: enabled.includes("cpu"),
  };
  return {
    kind: "v2",
    enforces,
    async create(name, limits) {
      assertName(name);
      const path = join(dir, name);
      await mkdir(path);
      try {
        if (enforces.memory) {
          await writeFile(
            join(path, "memory.max"),
            limited(limits.memoryBytes) ? String(Math.floor(limits.memoryBytes)) : "max",
          );
          await writeIfPresent(join(path, "memory.swap.max"), "0");
        }
        if (enforces.pids)
          await writeFile(
            join(path, "pids.max"),
            limited(limits.pids) ? String(Math.floor(limits.pids)) : "max",
          );
        if (enforces.cpu) {
          const quota = limited(limits.cpuMillis) ? String(cpuQuotaUs(limits)) : "max";
          await writeFile(join(path, "cpu.max"), `${quota} ${CPU_PERIOD_US}`);
        }
      } catch (error) {
        await removeCgroup(path, true);
        throw error;
      }
      return {
        name,
        procsFiles: [join(path, "cgroup.procs")],
        memoryPeakBytes: async () =>
          enforces.memory ? readNumber(join(path, "memory.peak")) : null,
      };
    },
    async remove(name) {
      assertName(name);
      await removeCgroup(join(dir, name), true);
    },
    async list() {
      return (await subdirs(dir)).sort();
    },
    async dispose() {
      await rmdir(dir).catch(() => {});
    },
  };
}

/** Kills every process in the cgroup at `path` and removes it. */
async function removeCgroup(path: string, v2: boolean): Promise<void> {
  if (!(await exists(path))) return;
  if (v2) await writeFile(join(path, "cgroup.kill"), "1").catch(() => {});
  for (let attempt = 0; attempt < KILL_ATTEMPTS; attempt++) {
    // A process forking while we kill can add pids after a read: re-read until empty.
    const pids = await readPids(join(path, "cgroup.procs"));
    for (const pid of pids) {
      try {
        process.kill(pid, "SIGKILL");
      } catch {
        // Already gone.
      }
    }
    try {
      await rmdir(path);
      return;
    } catch (error) {
      if (errorCode(error) === "ENOENT") return;
      if (errorCode(error) !== "EBUSY") throw error;
    }
    await sleep(KILL_RETRY_MS);
  }
  throw new Error(`cgroup ${path} still has processes after ${KILL_ATTEMPTS} kill attempts`);
}

async function readPids(file: string): Promise<number[]> {
  const text = await readFile(file, "utf8").catch(() => "");
  return text
    .split("\n")
    .filter(Boolean)
    .map(Number)
    .filter((n) => Number.isInteger(n) && n > 0);
}

async function readNumber(file: string): Promise<number | null> {
  const text = await readFile(file, "utf8").catch(() => null);
  const n = text === null ? NaN : Number(text.trim());
  return Number.isFinite(n) ? n : null;
}

async function subdirs(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  return entries.filter((e) => e.isDirectory()).map((e) => e.name);
}

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}

function cpuQuotaUs(limits: Limits): number {
  // The kernel refuses quotas under 1 ms.
  return Math.max(1000, Math.round((limits.cpuMillis * CPU_PERIOD_US) / 1000));
}

function limited(value: number): boolean {
  return Number.isFinite(value) && value > 0;
}

/** Writes a control file that only exists with some kernel options (swap accounting). */
async function writeIfPresent(file: string, value: string): Promise<void> {
  if (await exists(file)) await writeFile(file, value);
}

function errorCode(error: unknown): string | undefined {
  return (error as NodeJS.ErrnoException | undefined)?.code;
}

function assertName(name: string): void {
  if (!/^[A-Za-z0-9_.-]+$/.test(name) || name === "." || name === "..") {
    throw new Error(`invalid cgroup name ${JSON.stringify(name)}`);
  }
}

/** Quotes `s` for POSIX sh. */
export function shellQuote(s: string): string {
  return `'${s.replaceAll("'", `'\\''`)}'`;
}
