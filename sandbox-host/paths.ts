// Where the sandbox host keeps images, sandboxes and snapshots under its state folder.
import { join, resolve } from "node:path";

/** The folders of one host's state. */
export interface HostPaths {
  root: string;
  images: string;
  image(imageId: string): string;
  imageWorkspace(imageId: string): string;
  building: string;
  sandboxes: string;
  sandbox(sandboxId: string): string;
  snapshots: string;
  snapshotArchive(snapshotId: string): string;
  snapshotMeta(snapshotId: string): string;
  seccompFilter: string;
  /** The generated passwd, group and hosts every sandbox sees. */
  etc: string;
}

/** Paths below a state folder. */
export function hostPaths(stateDir: string): HostPaths {
  const root = resolve(stateDir);
  const images = join(root, "images");
  const sandboxes = join(root, "sandboxes");
  const snapshots = join(root, "snapshots");
  return {
    root,
    images,
    image: (id) => join(images, id),
    imageWorkspace: (id) => join(images, id, "workspace"),
    building: join(root, "building"),
    sandboxes,
    sandbox: (id) => join(sandboxes, id),
    snapshots,
    snapshotArchive: (id) => join(snapshots, `${id}.tar.zst`),
    snapshotMeta: (id) => join(snapshots, `${id}.json`),
    seccompFilter: join(root, "seccomp.bpf"),
    etc: join(root, "etc"),
  };
}
