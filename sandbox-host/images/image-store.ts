// Published images: immutable workspaces with a manifest, listed, looked up and deleted when unused.
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { ImageSchema, type Image } from "../../protocol/sandbox-host.ts";
import { SandboxError } from "../../sandbox/provider.ts";
import { removeTree, ROOT_MODE, type HostMode } from "../host-mode.ts";
import type { HostPaths } from "../paths.ts";

/** The manifest file in each image folder. */
export const MANIFEST = "image.json";

export class ImageStore {
  private readonly paths: HostPaths;
  private readonly mode: HostMode;
  constructor(paths: HostPaths, mode: HostMode = ROOT_MODE) {
    this.paths = paths;
    this.mode = mode;
  }

  async get(imageId: string): Promise<Image | null> {
    if (!/^img_[0-9a-z]{26}$/.test(imageId)) return null;
    try {
      return ImageSchema.parse(
        JSON.parse(await readFile(join(this.paths.image(imageId), MANIFEST), "utf8")),
      );
    } catch {
      return null;
    }
  }

  async list(): Promise<Image[]> {
    const names = await readdir(this.paths.images).catch(() => [] as string[]);
    const images = await Promise.all(names.map((name) => this.get(name)));
    return images
      .filter((image): image is Image => image !== null)
      .sort((a, b) => b.createdAt - a.createdAt);
  }

  /** Deletes an image nothing refers to. */
  async delete(imageId: string, inUse: ReadonlySet<string>): Promise<void> {
    if (!(await this.get(imageId)))
      throw new SandboxError("not_found", "No image with that id on this host.");
    if (inUse.has(imageId)) {
      throw new SandboxError("image_in_use", "A sandbox or a snapshot still stands on that image.");
    }
    await removeTree(this.mode, this.paths.image(imageId));
  }
}
