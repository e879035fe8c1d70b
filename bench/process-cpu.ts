// CPU time of processes from /proc: this process (with its reaped children) and the process tree
// of a `wrangler dev`, so that a load benchmark can say which side of the machine was busy.
import { readdirSync, readFileSync } from "node:fs";

/** Clock ticks per second of /proc's time fields (USER_HZ, 100 on every Linux this runs on). */
const TICKS_PER_SECOND = 100;

/** CPU seconds of one process: its own, and those of its children it has waited for. */
export interface ProcessCpu {
  ownS: number;
  reapedChildrenS: number;
}

function readProc(pid: number | "self", file: string): string | null {
  try {
    return readFileSync(`/proc/${pid}/${file}`, "utf8");
  } catch {
    return null;
  }
}

/** The fields of /proc/<pid>/stat after the command name, which may itself hold spaces. */
function statFields(pid: number | "self"): string[] | null {
  const stat = readProc(pid, "stat");
  if (!stat) return null;
  return stat.slice(stat.lastIndexOf(")") + 2).split(" ");
}

/** This process's CPU, or another's; zeros when the process is gone. */
export function processCpu(pid: number | "self" = "self"): ProcessCpu {
  const fields = statFields(pid);
  if (!fields) return { ownS: 0, reapedChildrenS: 0 };
  // After the name: state, ppid, …; utime and stime are the 12th and 13th, cutime and cstime next.
  const ticks = (i: number) => Number(fields[i]);
  return {
    ownS: (ticks(11) + ticks(12)) / TICKS_PER_SECOND,
    reapedChildrenS: (ticks(13) + ticks(14)) / TICKS_PER_SECOND,
  };
}

/** Live processes as pid → { ppid, name, cmdline }. */
function processTable(): Map<number, { ppid: number; name: string; cmdline: string }> {
  const table = new Map<number, { ppid: number; name: string; cmdline: string }>();
  for (const entry of readdirSync("/proc")) {
    const pid = Number(entry);
    if (!Number.isInteger(pid)) continue;
    const fields = statFields(pid);
    const comm = readProc(pid, "comm");
    if (!fields || comm === null) continue;
    const cmdline = (readProc(pid, "cmdline") ?? "").replaceAll("\0", " ");
    table.set(pid, { ppid: Number(fields[1]), name: comm.trim(), cmdline });
  }
  return table;
}

/** CPU seconds per process name in the tree of the `wrangler dev` listening on `port`. */
export function wranglerCpu(port: string): Map<string, number> {
  const table = processTable();
  const isRoot = (cmdline: string) =>
    cmdline.includes("wrangler") && cmdline.includes(` --port ${port} `);
  // The topmost match (npm exec wrangler …) holds the node CLI, workerd and esbuild below it.
  const roots = [...table].filter(
    ([, p]) => isRoot(p.cmdline) && !isRoot(table.get(p.ppid)?.cmdline ?? ""),
  );
  const byName = new Map<string, number>();
  const visit = (pid: number) => {
    const name = table.get(pid)?.name ?? "?";
    byName.set(name, (byName.get(name) ?? 0) + processCpu(pid).ownS);
    for (const [child, p] of table) if (p.ppid === pid) visit(child);
  };
  for (const [pid] of roots) visit(pid);
  return byName;
}

/** The difference of two per-name readings, as `name 12.3 s, …`, largest first. */
export function describeCpu(before: Map<string, number>, after: Map<string, number>): string {
  return (
    [...after]
      .map(([name, s]) => [name, s - (before.get(name) ?? 0)] as const)
      .sort((a, b) => b[1] - a[1])
      // A negative difference means the process was replaced (a reload) and its count began again.
      .map(([name, s]) => `${name} ${s < 0 ? "(restarted)" : `${s.toFixed(1)} s`}`)
      .join(", ")
  );
}

/** The machine's CPU seconds so far (all cores), busy and in total, from /proc/stat. */
export function machineCpu(): { busyS: number; totalS: number } {
  const line = readFileSync("/proc/stat", "utf8").split("\n")[0]!;
  const ticks = line.trim().split(/\s+/).slice(1).map(Number);
  const total = ticks.reduce((sum, t) => sum + t, 0);
  // idle and iowait are the 4th and 5th columns.
  const idle = (ticks[3] ?? 0) + (ticks[4] ?? 0);
  return { busyS: (total - idle) / TICKS_PER_SECOND, totalS: total / TICKS_PER_SECOND };
}

/** CPU seconds of the live descendants of `pid` (each with its own reaped children): the
 * sandboxes and commands a process started that have not exited yet. */
export function descendantsCpu(pid: number = process.pid): number {
  const table = processTable();
  let total = 0;
  const visit = (parent: number) => {
    for (const [child, p] of table) {
      if (p.ppid !== parent) continue;
      const cpu = processCpu(child);
      total += cpu.ownS + cpu.reapedChildrenS;
      visit(child);
    }
  };
  visit(pid);
  return total;
}
