// Rescues: what the host saved of each sandbox it stopped without being asked to (a crash of
// the host, found at the next start, or a stop of the host).
import { readFile, rename, writeFile } from "node:fs/promises";
import { RescueSchema, type Rescue } from "../../protocol/sandbox-host.ts";
import type { HostPaths } from "../paths.ts";
import type { SnapshotStore } from "./snapshot-store.ts";

export class RescueStore {
  private readonly paths: HostPaths;
  private readonly snapshots: SnapshotStore;
  constructor(paths: HostPaths, snapshots: SnapshotStore) {
    this.paths = paths;
    this.snapshots = snapshots;
  }

  /** Saves a stopped sandbox's upper layer as a snapshot on its image and records it as the
   * rescue; an abort leaves neither. */
  async rescue(
    upperDir: string,
    sandboxId: string,
    imageId: string,
    signal?: AbortSignal,
  ): Promise<Rescue> {
    const snapshot = await this.snapshots.take(upperDir, sandboxId, imageId, signal);
    const rescue: Rescue = { snapshotId: snapshot.id, imageId, at: snapshot.createdAt };
    // Written aside and renamed, so a crash while rescuing never leaves a half-written record.
    const path = this.paths.rescue(sandboxId);
    await writeFile(`${path}.tmp`, JSON.stringify(rescue), { mode: 0o600 });
    await rename(`${path}.tmp`, path);
    return rescue;
  }

  /** The rescue of a sandbox, or null when there is none or its snapshot was deleted since. */
  async get(sandboxId: string): Promise<Rescue | null> {
    if (!/^sbx_[0-9a-z]{26}$/.test(sandboxId)) return null;
    let rescue: Rescue;
    try {
      rescue = RescueSchema.parse(JSON.parse(await readFile(this.paths.rescue(sandboxId), "utf8")));
    } catch {
      return null;
    }
    return (await this.snapshots.get(rescue.snapshotId)) ? rescue : null;
  }
}
