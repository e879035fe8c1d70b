// Makes sure a stopped process group is really gone (reads /proc on Linux).
import { readdirSync, readFileSync } from "node:fs";
import { setTimeout as sleep } from "node:timers/promises";

/** How long stopped processes get to exit (and be reaped) before the group is killed. */
const EXIT_GRACE_MS = 8_000;
const POLL_MS = 100;

interface ProcessInfo {
  pid: number;
  pgid: number;
  zombie: boolean;
  cmdline: string;
}

function processes(): ProcessInfo[] {
  const found: ProcessInfo[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      // Fields after the command name, which may itself hold spaces and parentheses: state ppid pgrp …
      const [state, , pgid] = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, "utf8").replaceAll("\0", " ");
      found.push({ pid: Number(entry), pgid: Number(pgid), zombie: state === "Z", cmdline });
    } catch {
      // The process ended while we looked.
    }
  }
  return found;
}

/** Waits for every process of the group to vanish; SIGKILLs what still runs after the grace period. Returns what was killed. */
export async function reapGroup(pgid: number): Promise<number> {
  if (process.platform !== "linux") return 0;
  const deadline = Date.now() + EXIT_GRACE_MS;
  for (;;) {
    const members = processes().filter((p) => p.pgid === pgid);
    if (members.length === 0) return 0;
    const running = members.filter((p) => !p.zombie);
    if (Date.now() >= deadline) {
      // Zombies only wait for their parent to reap them; live members would keep ports and memory.
      if (running.length > 0) {
        try {
          process.kill(-pgid, "SIGKILL");
        } catch {
          // Gone meanwhile.
        }
      }
      return running.length;
    }
    await sleep(POLL_MS);
  }
}
