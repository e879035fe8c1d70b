// A workspace's changes since its image, without an overlay: the state of every entry is recorded
// once the image is unpacked, and a snapshot archives what differs (new or changed entries, plus
// the list of deleted ones). Restoring removes the deleted entries and unpacks the rest.
//
// An entry counts as changed when its type or its ctime moved. ctime is set by the kernel on every
// write, chmod, chown, rename and link, and no system call lets a process set it back, so a change
// cannot hide the way it could behind a restored mtime.
import { lstat, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { SandboxError } from "../../sandbox/provider.ts";
import { runOrThrow, run } from "../../sandbox-host/run.ts";

/** How one entry looked: its type letter and its ctime in nanoseconds. */
export type Manifest = Map<string, string>;

/** The name of the deletion list inside a snapshot archive; workspace entries sit under `workspace/`. */
const DELETED_ENTRY = "deleted";

/** Records every entry below `root` (paths relative to it, "/"-separated, the root itself excluded). */
export async function recordManifest(root: string): Promise<Manifest> {
  const manifest: Manifest = new Map();
  const walk = async (dir: string, prefix: string): Promise<void> => {
    const names = await readdir(dir);
    for (const name of names) {
      const rel = prefix ? `${prefix}/${name}` : name;
      const info = await lstat(join(dir, name), { bigint: true });
      const type = info.isDirectory()
        ? "d"
        : info.isSymbolicLink()
          ? "l"
          : info.isFile()
            ? "f"
            : "o";
      manifest.set(rel, `${type}:${info.ctimeNs}`);
      if (type === "d") await walk(join(dir, name), rel);
    }
  };
  await walk(root, "");
  return manifest;
}

/** What differs between a base manifest and the workspace now. */
export interface Changes {
  /** New or changed entries, parents before children. */
  changed: string[];
  /** Entries of the base that are gone or changed type; a deleted folder's entries are not listed. */
  deleted: string[];
}

/** Compares the workspace with the base manifest. */
export function diffManifests(base: Manifest, now: Manifest): Changes {
  const changed: string[] = [];
  const deleted: string[] = [];
  for (const [path, state] of now) if (base.get(path) !== state) changed.push(path);
  const gone = new Set<string>();
  for (const [path, state] of base) {
    const current = now.get(path);
    if (current !== undefined && current[0] === state[0]) continue;
    const parent = path.slice(0, Math.max(0, path.lastIndexOf("/")));
    if (parent && gone.has(parent)) {
      gone.add(path);
      continue;
    }
    gone.add(path);
    deleted.push(path);
  }
  return { changed, deleted };
}

/**
 * Archives the changes of the workspace at `/<workspaceName>` (tar, zstd): the deletion list first,
 * then the changed entries without recursion. Returns the archive's path.
 */
export async function archiveChanges(
  base: Manifest,
  options: { root: string; workspaceName: string; scratch: string },
): Promise<string> {
  const workspace = join(options.root, options.workspaceName);
  const changes = diffManifests(base, await recordManifest(workspace));
  const stage = join(options.scratch, `changes-${process.pid}-${Date.now()}`);
  await runOrThrow("mkdir", ["-p", "-m", "700", stage]);
  try {
    const list = join(stage, "list");
    await writeFile(join(stage, DELETED_ENTRY), changes.deleted.map((p) => `${p}\0`).join(""));
    await writeFile(list, changes.changed.map((p) => `${options.workspaceName}/${p}\0`).join(""));
    const archive = `${stage}.tar.zst`;
    const tar = await run("sh", [
      "-c",
      'tar --create --file=- --numeric-owner --warning=no-file-ignored -C "$1" deleted -C "$2" --null --no-recursion --files-from="$3" | zstd -q -3 -o "$4" -f',
      "sh",
      stage,
      options.root,
      list,
      archive,
    ]);
    if (tar.code !== 0)
      throw new SandboxError("internal", `Could not archive the workspace: ${tar.stderr.trim()}`);
    return archive;
  } finally {
    await rm(stage, { recursive: true, force: true });
  }
}

/** Applies a snapshot archive made by archiveChanges onto a workspace over the same image. */
export async function applyChanges(
  archive: string,
  options: { root: string; workspaceName: string; scratch: string },
): Promise<void> {
  const stage = join(options.scratch, `restore-${process.pid}-${Date.now()}`);
  await runOrThrow("mkdir", ["-p", "-m", "700", stage]);
  try {
    await extract(archive, stage, [DELETED_ENTRY]);
    const listed = await readFile(join(stage, DELETED_ENTRY), "utf8").catch(() => "");
    const workspace = join(options.root, options.workspaceName);
    for (const path of listed.split("\0").filter(Boolean)) await removeInside(workspace, path);
    await extract(archive, options.root, [`--wildcards`, `${options.workspaceName}/*`], true);
  } finally {
    await rm(stage, { recursive: true, force: true });
  }
}

async function extract(archive: string, into: string, members: string[], optional = false) {
  const result = await run("sh", [
    "-c",
    'archive="$1"; into="$2"; shift 2; zstd -q -dc "$archive" | tar --extract --file=- --numeric-owner -C "$into" "$@"',
    "sh",
    archive,
    into,
    ...members,
  ]);
  // A snapshot with no changed entries has no member under workspace/.
  if (result.code !== 0 && !(optional && /Not found in archive/.test(result.stderr)))
    throw new SandboxError(
      "invalid_input",
      `The archive could not be unpacked: ${result.stderr.trim()}`,
    );
}

/** Removes `rel` below `root` unless reaching it would pass through a symlink or a non-folder. */
async function removeInside(root: string, rel: string): Promise<void> {
  const parts = rel.split("/");
  if (parts.some((p) => p === "" || p === "." || p === "..")) return;
  let dir = root;
  for (const part of parts.slice(0, -1)) {
    dir = join(dir, part);
    const info = await lstat(dir).catch(() => null);
    if (!info?.isDirectory()) return;
  }
  await rm(join(root, rel), { recursive: true, force: true });
}
