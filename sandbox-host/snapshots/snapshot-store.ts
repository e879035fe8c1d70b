// Snapshots: a sandbox's upper layer as a compressed archive, bound to the image below it.
import { readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { newId } from "../../protocol/ids.ts";
import { SnapshotSchema, type Snapshot } from "../../protocol/sandbox-host.ts";
import { SandboxError } from "../../sandbox/provider.ts";
import { asOwner, overlayXattrs, ROOT_MODE, type HostMode } from "../host-mode.ts";
import type { HostPaths } from "../paths.ts";
import { runOrThrow } from "../run.ts";

const quote = (path: string) => `'${path.replaceAll("'", `'\\''`)}'`;

export class SnapshotStore {
  private readonly paths: HostPaths;
  private readonly mode: HostMode;
  /** Overlay records deletions and opaque folders in xattrs; they must travel with the files. */
  private readonly xattrFlags: string;
  constructor(paths: HostPaths, mode: HostMode = ROOT_MODE) {
    this.paths = paths;
    this.mode = mode;
    this.xattrFlags = `--xattrs --xattrs-include=${quote(overlayXattrs(mode))}`;
  }

  /** Archives an upper layer (taken while the sandbox may still run: the end of a turn is quiet).
   * An abort stops the archiving and leaves no snapshot. */
  async take(
    upperDir: string,
    sandboxId: string,
    imageId: string,
    signal?: AbortSignal,
  ): Promise<Snapshot> {
    const id = newId("snp");
    const archive = this.paths.snapshotArchive(id);
    const script = `tar ${this.xattrFlags} -C ${quote(upperDir)} -cf - . | zstd -q -3 -o ${quote(archive)}`;
    await this.shell(script, signal).catch(async (error: unknown) => {
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
    // Rootless, the files are the host user's whatever the archive says: its namespace maps no other.
    const owner = this.mode.rootless ? " --no-same-owner" : "";
    await this.shell(
      `zstd -q -dc ${quote(archive)} | tar ${this.xattrFlags}${owner} -C ${quote(upperDir)} -xpf -`,
    );
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

  /** Removes archives whose snapshot was never recorded (the host stopped while taking it). */
  async removeIncomplete(): Promise<number> {
    const names = await readdir(this.paths.snapshots).catch(() => [] as string[]);
    const recorded = new Set(names.filter((n) => n.endsWith(".json")).map((n) => n.slice(0, -5)));
    const orphans = names.filter(
      (n) => n.endsWith(".tar.zst") && !recorded.has(n.slice(0, -".tar.zst".length)),
    );
    for (const name of orphans) await rm(join(this.paths.snapshots, name), { force: true });
    return orphans.length;
  }

  /** Runs a pipeline as the owner of every file a sandbox made (see asOwner). */
  private async shell(script: string, signal?: AbortSignal): Promise<void> {
    const [command, ...args] = asOwner(this.mode, ["sh", "-c", script]);
    await runOrThrow(command!, args, signal ? { signal } : {});
  }
}
