// Processes an earlier run of the host left behind: a sandbox's or a build's bwrap (and so every
// process inside it), or the launcher still on its way to exec bwrap, found by the state folder
// their arguments name. Without cgroups (a rootless host) nothing else finds them.
import { readdir, readFile } from "node:fs/promises";
import { basename } from "node:path";

/** What a sandbox or a build runs as, before and after each exec on the way to its command. */
const LAUNCHERS = new Set(["bwrap", "sh", "unshare", "setpriv"]);

/** Pids of launcher processes with an argument at or below one of `dirs`. */
export async function leftoverProcesses(dirs: string[]): Promise<number[]> {
  const pids = (await readdir("/proc").catch(() => [] as string[]))
    .filter((name) => /^\d+$/.test(name))
    .map(Number)
    .filter((pid) => pid !== process.pid);
  const found: number[] = [];
  for (const pid of pids) {
    const argv = (await readFile(`/proc/${pid}/cmdline`, "utf8").catch(() => "")).split("\0");
    if (!LAUNCHERS.has(basename(argv[0] ?? ""))) continue;
    if (argv.some((arg) => dirs.some((dir) => arg === dir || arg.startsWith(`${dir}/`))))
      found.push(pid);
  }
  return found;
}

/** Kills the leftover processes (see leftoverProcesses) and says how many there were. */
export async function killLeftovers(dirs: string[]): Promise<number> {
  const pids = await leftoverProcesses(dirs);
  for (const pid of pids) {
    try {
      process.kill(pid, "SIGKILL");
    } catch {
      // Gone meanwhile, or not this user's.
    }
  }
  return pids.length;
}
