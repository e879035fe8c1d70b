// Snapshots: a sandbox's upper layer as a compressed archive, bound to the image below it.
import { readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { newId } from "../../protocol/ids.ts";
import { SnapshotSchema, type Snapshot } from "../../protocol/sandbox-host.ts";
import { SandboxError } from "../../sandbox/provider.ts";
import type { HostPaths } from "../paths.ts";
import { runOrThrow } from "../run.ts";

// Overlay records deletions and opaque folders in trusted.overlay.* attributes; they must travel with the files.
const XATTR_FLAGS = "--xattrs --xattrs-include='trusted.overlay.*'";
const quote = (path: string) => `'${path.replaceAll("'", `'\\''`)}'`;

export class SnapshotStore {
  private readonly paths: HostPaths;
  constructor(paths: HostPaths) {
    this.paths = paths;
  }

  /** Archives an upper layer (taken while the sandbox may still run: the end of a turn is quiet). */
  async take(upperDir: string, sandboxId: string, imageId: string): Promise<Snapshot> {
    const id = newId("snp");
    const archive = this.paths.snapshotArchive(id);
    await runOrThrow("sh", [
      "-c",
      `tar ${XATTR_FLAGS} -C ${quote(upperDir)} -cf - . | zstd -q -3 -o ${quote(archive)}`,
    ]).catch(async (error: unknown) => {
      await rm(archive, { force: true });
      throw error;
    });
    const snapshot: Snapshot = {
      id,
      sandboxId,
      imageId,
      createdAt: Date.now(),
      sizeBytes: (await stat(archive)).size,
    };
    await writeFile(this.paths.snapshotMeta(id), JSON.stringify(snapshot));
    return snapshot;
  }

  async get(snapshotId: string): Promise<Snapshot | null> {
    if (!/^snp_[0-9a-z]{26}$/.test(snapshotId)) return null;
    try {
      return SnapshotSchema.parse(
        JSON.parse(await readFile(this.paths.snapshotMeta(snapshotId), "utf8")),
      );
    } catch {
      return null;
    }
  }

  async list(): Promise<Snapshot[]> {
    const names = await readdir(this.paths.snapshots).catch(() => [] as string[]);
    const snapshots = await Promise.all(
      names.filter((n) => n.endsWith(".json")).map((n) => this.get(n.slice(0, -5))),
    );
    return snapshots.filter((s): s is Snapshot => s !== null);
  }

  /** Unpacks a snapshot into an empty upper folder. */
  async restoreInto(snapshotId: string, upperDir: string): Promise<void> {
    const archive = this.paths.snapshotArchive(snapshotId);
    await runOrThrow("sh", [
      "-c",
      `zstd -q -dc ${quote(archive)} | tar ${XATTR_FLAGS} -C ${quote(upperDir)} -xpf -`,
    ]);
  }

  async delete(snapshotId: string): Promise<void> {
    if (!(await this.get(snapshotId)))
      throw new SandboxError("not_found", "No snapshot with that id on this host.");
    await rm(this.paths.snapshotArchive(snapshotId), { force: true });
    await rm(this.paths.snapshotMeta(snapshotId), { force: true });
  }

  /** Images that snapshots stand on. */
  async imagesInUse(): Promise<Set<string>> {
    return new Set((await this.list()).map((s) => s.imageId));
  }
}
