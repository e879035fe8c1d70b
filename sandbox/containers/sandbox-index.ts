// Records the Containers provider keeps in its BlobStore: images and snapshots (record and
// archive), and the live sandboxes, each under its own key so that listing needs no database.
import { z } from "zod";
import {
  ImageSchema,
  SandboxSchema,
  SnapshotSchema,
  type Image,
  type Sandbox,
  type Snapshot,
} from "../../protocol/sandbox-host.ts";
import type { BlobStore } from "./blob-store.ts";

/** Where each kind of thing lives in the store. */
export const KEYS = {
  imageRecord: (id: string) => `images/${id}.json`,
  imageArchive: (id: string) => `images/${id}.tar.zst`,
  snapshotRecord: (id: string) => `snapshots/${id}.json`,
  snapshotArchive: (id: string) => `snapshots/${id}.tar.zst`,
  sandboxRecord: (id: string) => `sandboxes/${id}.json`,
};

/** Typed access to the records. */
export class SandboxIndex {
  readonly store: BlobStore;
  constructor(store: BlobStore) {
    this.store = store;
  }

  image(id: string): Promise<Image | null> {
    return this.read(KEYS.imageRecord(id), ImageSchema);
  }
  async images(): Promise<Image[]> {
    const images = await this.all("images/", ImageSchema);
    return images.sort((a, b) => b.createdAt - a.createdAt);
  }
  snapshot(id: string): Promise<Snapshot | null> {
    return this.read(KEYS.snapshotRecord(id), SnapshotSchema);
  }
  snapshots(): Promise<Snapshot[]> {
    return this.all("snapshots/", SnapshotSchema);
  }
  sandboxes(): Promise<Sandbox[]> {
    return this.all("sandboxes/", SandboxSchema);
  }
  async putRecord(key: string, value: Image | Snapshot | Sandbox): Promise<void> {
    await this.store.put(key, JSON.stringify(value));
  }

  private async read<S extends z.ZodType>(key: string, schema: S): Promise<z.infer<S> | null> {
    const text = await this.store.getText(key);
    if (text === null) return null;
    const parsed = schema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : null;
  }

  private async all<S extends z.ZodType>(prefix: string, schema: S): Promise<z.infer<S>[]> {
    const keys = (await this.store.list(prefix)).filter((key) => key.endsWith(".json"));
    const records: z.infer<S>[] = [];
    for (const record of await Promise.all(keys.map((key) => this.read(key, schema))))
      if (record !== null) records.push(record);
    return records;
  }
}
