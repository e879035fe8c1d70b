// How this host runs sandboxes — as root, or rootless as its own user — and what that changes for
// the host's own commands on files sandboxes made.
import { readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { runOrThrow } from "./run.ts";

/** How workspaces are made: an overlay over the shared image, or a full copy of it. */
export type WorkspaceKind = "overlay" | "copy";

/** The host's privileges and the kind of workspace it makes; fixed for a state folder. */
export interface HostMode {
  /** The host is not root: sandboxes run as its own user, mapped to the sandbox uid inside. */
  rootless: boolean;
  workspaces: WorkspaceKind;
}

/** A root host with overlay workspaces. */
export const ROOT_MODE: HostMode = { rootless: false, workspaces: "overlay" };

/** The xattrs overlayfs records deletions and opaque folders in: `user.*` when it is mounted in
 * a user namespace (`userxattr`), `trusted.*` otherwise. */
export function overlayXattrs(mode: HostMode): string {
  return mode.rootless ? "user.overlay.*" : "trusted.overlay.*";
}

/**
 * `argv` run so that it may read, write and delete every file a sandbox made, whatever modes the
 * sandbox set (a file chmod 000, a read-only folder). Root ignores modes anyway; a rootless host
 * runs the command in a user namespace of its own in which its user is root, so that
 * CAP_DAC_OVERRIDE applies to its files and whiteouts are created as that namespace's root.
 */
export function asOwner(mode: HostMode, argv: string[]): string[] {
  return mode.rootless ? ["unshare", "--user", "--map-root-user", "--", ...argv] : argv;
}

/** Removes a tree of the host's state, whatever modes a sandbox set inside it. */
export async function removeTree(mode: HostMode, path: string): Promise<void> {
  if (!mode.rootless) return rm(path, { recursive: true, force: true, maxRetries: 3 });
  const [command, ...args] = asOwner(mode, ["rm", "-rf", "--", path]);
  await runOrThrow(command!, args);
}

const MODE_FILE = "host-mode.json";

/** Records the mode in a new state folder, or fails when the folder was made in another mode:
 * its images, snapshots and file owners would not fit (a rootless host archives `user.*`
 * overlay attributes, a copy-workspace snapshot holds the whole workspace). */
export async function claimStateFolder(root: string, mode: HostMode): Promise<void> {
  const file = join(root, MODE_FILE);
  const text = await readFile(file, "utf8").catch(() => null);
  if (text === null) {
    await writeFile(file, JSON.stringify(mode), { mode: 0o600 });
    return;
  }
  const made = JSON.parse(text) as HostMode;
  if (made.rootless !== mode.rootless || made.workspaces !== mode.workspaces) {
    throw new Error(
      `The state folder ${root} belongs to a ${describeMode(made)} host, and this one is ${describeMode(mode)}; ` +
        "its images and snapshots do not fit. Give this host its own TANDEM_HOST_STATE.",
    );
  }
}

/** "rootless with copied workspaces", for messages. */
export function describeMode(mode: HostMode): string {
  return `${mode.rootless ? "rootless" : "root"} with ${mode.workspaces === "overlay" ? "overlay" : "copied"} workspaces`;
}
