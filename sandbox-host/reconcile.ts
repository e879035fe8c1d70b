// After a crash: sandboxes died with the host, but their mounts, cgroups and folders remain.
import { readdir, rm } from "node:fs/promises";
import type { CgroupAdapter } from "./isolation/cgroups.ts";
import { overlayMountsUnder, unmount } from "./isolation/overlay.ts";
import type { HostPaths } from "./paths.ts";

/** What a reconciliation cleaned up. */
export interface Reconciled {
  mounts: number;
  cgroups: number;
  sandboxes: number;
  builds: number;
}

/** Removes every leftover of sandboxes and builds from an earlier run of the host. */
export async function reconcile(paths: HostPaths, cgroups: CgroupAdapter): Promise<Reconciled> {
  const mounts = await overlayMountsUnder(paths.sandboxes);
  for (const mount of mounts) await unmount(mount);
  const groups = await cgroups.list();
  for (const name of groups) await cgroups.remove(name);
  const sandboxes = await readdir(paths.sandboxes).catch(() => [] as string[]);
  for (const name of sandboxes)
    await rm(`${paths.sandboxes}/${name}`, { recursive: true, force: true, maxRetries: 3 });
  const builds = await readdir(paths.building).catch(() => [] as string[]);
  for (const name of builds)
    await rm(`${paths.building}/${name}`, { recursive: true, force: true, maxRetries: 3 });
  return {
    mounts: mounts.length,
    cgroups: groups.length,
    sandboxes: sandboxes.length,
    builds: builds.length,
  };
}
