// Overlay mounts that give each sandbox a writable workspace over a read-only image.
import { execFile } from "node:child_process";
import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

/** The directories of one overlay: `lower` is the image, writes land in `upper`. */
export interface OverlayDirs {
  lower: string;
  upper: string;
  work: string;
  merged: string;
  /** Keep overlay metadata in user.* xattrs, required when mounting inside a user namespace. */
  userxattr?: boolean;
}

/** Mounts `lower` + `upper` at `merged`. */
export async function mountOverlay(o: OverlayDirs): Promise<void> {
  await run("mount", ["-t", "overlay", "overlay", "-o", overlayOptions(o), resolve(o.merged)]);
}

/** The `-o` options of `mount -t overlay` for these directories. */
export function overlayOptions(o: Omit<OverlayDirs, "merged">): string {
  const dirs = [o.lower, o.upper, o.work].map(checkedOptionPath);
  // Nothing in a sandbox needs setuid programs or device files; the host never honours them.
  return `nosuid,nodev,lowerdir=${dirs[0]},upperdir=${dirs[1]},workdir=${dirs[2]}${o.userxattr ? ",userxattr" : ""}`;
}

/** Unmounts `merged`, detaching lazily if it is busy; does nothing if it is not a mount point. */
export async function unmount(merged: string): Promise<void> {
  const target = resolve(merged);
  if (!(await mountPoints()).some((m) => m.mountPoint === target)) return;
  try {
    await run("umount", [target]);
  } catch {
    // Busy (a process still has its cwd or a file there): detach now, free when released.
    await run("umount", ["-l", target]);
  }
}

/** Overlay mount points at or below `dir`, deepest first, for crash reconciliation. */
export async function overlayMountsUnder(dir: string): Promise<string[]> {
  const base = resolve(dir);
  const found = (await mountPoints())
    .filter(
      (m) =>
        m.fsType === "overlay" && (m.mountPoint === base || m.mountPoint.startsWith(`${base}/`)),
    )
    .map((m) => m.mountPoint);
  return [...new Set(found)].sort(
    (a, b) => b.split("/").length - a.split("/").length || a.localeCompare(b),
  );
}

interface MountInfo {
  mountPoint: string;
  fsType: string;
}

/** Parses /proc/self/mountinfo: `id parent dev root mountpoint opts [optional…] - fstype source superopts`. */
async function mountPoints(): Promise<MountInfo[]> {
  const text = await readFile("/proc/self/mountinfo", "utf8");
  const out: MountInfo[] = [];
  for (const line of text.split("\n")) {
    const fields = line.split(" ");
    const dash = fields.indexOf("-");
    const mountPoint = fields[4];
    const fsType = fields[dash + 1];
    if (dash < 0 || mountPoint === undefined || fsType === undefined) continue;
    out.push({ mountPoint: unescapeOctal(mountPoint), fsType });
  }
  return out;
}

/** mountinfo writes space, tab, newline and backslash as \ooo. */
function unescapeOctal(s: string): string {
  return s.replace(/\\([0-7]{3})/g, (_, oct: string) => String.fromCharCode(parseInt(oct, 8)));
}

/** overlayfs splits its options on `,` and lowerdir on `:`; refuse paths it would misread. */
function checkedOptionPath(path: string): string {
  const abs = resolve(path);
  if (/[,:\\\n]/.test(abs))
    throw new Error(`overlay directory path not supported (contains , : or \\): ${abs}`);
  return abs;
}
