// After a crash (or a stop that ran out of time): sandboxes died with the host, but their
// processes, mounts, cgroups and folders may remain. Each sandbox's changes are rescued as a
// snapshot before its folder goes.
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { SandboxSchema } from "../protocol/sandbox-host.ts";
import { removeTree, type HostMode } from "./host-mode.ts";
import type { ImageStore } from "./images/image-store.ts";
import type { CgroupAdapter } from "./isolation/cgroups.ts";
import { overlayMountsUnder, unmount } from "./isolation/overlay.ts";
import { killLeftovers } from "./leftover-processes.ts";
import type { HostPaths } from "./paths.ts";
import type { RescueStore } from "./snapshots/rescue-store.ts";
import type { SnapshotStore } from "./snapshots/snapshot-store.ts";

/** What a reconciliation cleaned up and saved. */
export interface Reconciled {
  processes: number;
  mounts: number;
  cgroups: number;
  sandboxes: number;
  /** Sandboxes whose changes were saved as a snapshot. */
  rescued: number;
  builds: number;
  /** Archives of snapshots the host stopped before it recorded them. */
  incompleteSnapshots: number;
}

/** What reconciling needs besides the state folder. */
export interface ReconcileDeps {
  mode: HostMode;
  paths: HostPaths;
  cgroups: CgroupAdapter;
  images: ImageStore;
  snapshots: SnapshotStore;
  rescues: RescueStore;
  log: (message: string, fields?: Record<string, unknown>) => void;
}

/** Rescues the changes of sandboxes from an earlier run of the host, then removes every leftover
 * of them and of builds. A sandbox whose rescue fails keeps its folder, so the next start tries
 * again and nothing it changed is deleted. */
export async function reconcile(deps: ReconcileDeps): Promise<Reconciled> {
  const { paths, cgroups, mode } = deps;
  // First, so that nothing writes to a layer while it is rescued.
  const processes = await killLeftovers([paths.sandboxes, paths.building]);
  const mounts = await overlayMountsUnder(paths.sandboxes);
  for (const mount of mounts) await unmount(mount);
  const groups = await cgroups.list();
  for (const name of groups) await cgroups.remove(name);
  const sandboxes = await readdir(paths.sandboxes).catch(() => [] as string[]);
  let rescued = 0;
  for (const name of sandboxes) {
    const outcome = await rescue(deps, name);
    if (outcome === "failed") continue;
    if (outcome === "rescued") rescued++;
    await removeTree(mode, paths.sandbox(name));
  }
  const builds = await readdir(paths.building).catch(() => [] as string[]);
  for (const name of builds) await removeTree(mode, join(paths.building, name));
  return {
    processes,
    mounts: mounts.length,
    cgroups: groups.length,
    sandboxes: sandboxes.length,
    rescued,
    builds: builds.length,
    incompleteSnapshots: await deps.snapshots.removeIncomplete(),
  };
}

/** Saves one leftover sandbox's upper layer. A folder without a record is a sandbox that never
 * finished starting, or one whose layer a stop already saved; one whose image is gone cannot be
 * restored: none of them has anything to save. */
async function rescue(
  deps: ReconcileDeps,
  sandboxId: string,
): Promise<"rescued" | "nothing" | "failed"> {
  const record = SandboxSchema.safeParse(
    await readFile(deps.paths.sandboxRecord(sandboxId), "utf8")
      .then((text) => JSON.parse(text) as unknown)
      .catch(() => null),
  );
  if (!record.success || record.data.id !== sandboxId) return "nothing";
  const { imageId } = record.data;
  if (!(await deps.images.get(imageId))) {
    deps.log("host.rescue.skipped", { sandboxId, imageId, reason: "the image is gone" });
    return "nothing";
  }
  try {
    const saved = await deps.rescues.rescue(
      join(deps.paths.sandbox(sandboxId), "upper"),
      sandboxId,
      imageId,
    );
    deps.log("host.rescued", { sandboxId, snapshotId: saved.snapshotId, imageId, after: "crash" });
    return "rescued";
  } catch (error) {
    deps.log("host.rescue.failed", { sandboxId, error: String(error) });
    return "failed";
  }
}
