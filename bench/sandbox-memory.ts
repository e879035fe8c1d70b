// The memory one running sandbox costs: its processes, found two ways, and their PSS, RSS and cgroup usage.
import { access, readdir, readFile } from "node:fs/promises";
import { join } from "node:path";

const CGROUP_ROOT = "/sys/fs/cgroup";

/** One sandbox's memory in bytes, by measures that treat shared pages differently. */
export interface SandboxMemory {
  /** Its processes: the two bwrap processes and the agent while idle. */
  pids: number[];
  /** Proportional set size: each shared page split evenly among the processes that map it. */
  pssBytes: number;
  /** Resident set size: every shared page counted in full in every process. */
  rssBytes: number;
  /** The anonymous part of the PSS (heap, stacks): what stays when code pages are shared. */
  pssAnonBytes: number;
  /** The sandbox cgroup's charge (v1 memory.usage_in_bytes, v2 memory.current), when it has one. */
  cgroupBytes: number | null;
  /** Pids seen in only one of the two ways of finding them (expected empty). */
  disagreeing: number[];
}

/** Measures a sandbox of a host running in this process. Its processes are the union of the
 * pids in its memory cgroup and the descendants of the bwrap this process spawned for it (whose
 * command line names the sandbox's folder): the cgroup misses nothing that forked inside, the
 * tree works on hosts without cgroups, and a difference between them is reported. */
export async function measureSandboxMemory(sandboxId: string): Promise<SandboxMemory> {
  const cgroup = await findCgroup(sandboxId);
  const fromCgroup = cgroup ? await readPids(join(cgroup.dir, "cgroup.procs")) : null;
  const fromTree = await treePids(process.pid, `/sandboxes/${sandboxId}/`);
  const pids = [...new Set([...(fromCgroup ?? []), ...fromTree])].sort((a, b) => a - b);
  const disagreeing = fromCgroup
    ? pids.filter((pid) => fromCgroup.includes(pid) !== fromTree.includes(pid))
    : [];
  let pssBytes = 0;
  let rssBytes = 0;
  let pssAnonBytes = 0;
  for (const pid of pids) {
    const usage = await processMemory(pid);
    pssBytes += usage.pss;
    rssBytes += usage.rss;
    pssAnonBytes += usage.pssAnon;
  }
  const cgroupBytes = cgroup ? await readNumber(join(cgroup.dir, cgroup.usageFile)) : null;
  return { pids, pssBytes, rssBytes, pssAnonBytes, cgroupBytes, disagreeing };
}

/** The sandbox's memory cgroup: `<group>/<sandboxId>` under the v1 memory hierarchy or under v2. */
async function findCgroup(sandboxId: string): Promise<{ dir: string; usageFile: string } | null> {
  const layouts = [
    { base: join(CGROUP_ROOT, "memory"), usageFile: "memory.usage_in_bytes" },
    { base: CGROUP_ROOT, usageFile: "memory.current" },
  ];
  for (const { base, usageFile } of layouts) {
    for (const group of await subdirs(base)) {
      const dir = join(base, group, sandboxId);
      if (await exists(join(dir, "cgroup.procs"))) return { dir, usageFile };
    }
  }
  return null;
}

/** Pids below `ancestor` in the process tree whose top-level child's command line contains `marker`. */
async function treePids(ancestor: number, marker: string): Promise<number[]> {
  const parents = new Map<number, number>();
  for (const name of await readdir("/proc")) {
    const pid = Number(name);
    if (!Number.isInteger(pid)) continue;
    const stat = await readFile(`/proc/${pid}/stat`, "utf8").catch(() => null);
    // `pid (comm) state ppid …`: comm may hold spaces and parentheses, so split after the last ")".
    const ppid = stat ? Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]) : NaN;
    if (Number.isInteger(ppid)) parents.set(pid, ppid);
  }
  const roots: number[] = [];
  for (const [pid, ppid] of parents) {
    if (ppid !== ancestor) continue;
    const cmdline = await readFile(`/proc/${pid}/cmdline`, "utf8").catch(() => "");
    if (cmdline.includes(marker)) roots.push(pid);
  }
  const found = new Set(roots);
  for (let grew = true; grew;) {
    grew = false;
    for (const [pid, ppid] of parents) {
      if (found.has(ppid) && !found.has(pid)) {
        found.add(pid);
        grew = true;
      }
    }
  }
  return [...found];
}

/** PSS, RSS and anonymous PSS of one process in bytes; zero if it is gone. Falls back to
 * VmRSS (as all three) on kernels without smaps_rollup. */
async function processMemory(pid: number): Promise<{ pss: number; rss: number; pssAnon: number }> {
  const rollup = await readFile(`/proc/${pid}/smaps_rollup`, "utf8").catch(() => null);
  if (rollup) {
    return {
      pss: kilobytes(rollup, "Pss"),
      rss: kilobytes(rollup, "Rss"),
      pssAnon: kilobytes(rollup, "Pss_Anon"),
    };
  }
  const status = await readFile(`/proc/${pid}/status`, "utf8").catch(() => "");
  const rss = kilobytes(status, "VmRSS");
  return { pss: rss, rss, pssAnon: rss };
}

/** The `Name:   123 kB` field of a /proc file, in bytes; 0 when absent. */
function kilobytes(text: string, field: string): number {
  const match = new RegExp(`^${field}:\\s+(\\d+) kB$`, "m").exec(text);
  return match ? Number(match[1]) * 1024 : 0;
}

async function readPids(file: string): Promise<number[]> {
  const text = await readFile(file, "utf8").catch(() => "");
  return text.split("\n").filter(Boolean).map(Number);
}

async function readNumber(file: string): Promise<number | null> {
  const value = Number((await readFile(file, "utf8").catch(() => "")).trim());
  return Number.isFinite(value) && value > 0 ? value : null;
}

async function subdirs(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  return entries.filter((entry) => entry.isDirectory()).map((entry) => entry.name);
}

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}
