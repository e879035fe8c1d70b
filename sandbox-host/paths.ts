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
  /** What a live sandbox stands on, written once it runs; a crash leaves it for the rescue. */
  sandboxRecord(sandboxId: string): string;
  snapshots: string;
  snapshotArchive(snapshotId: string): string;
  snapshotMeta(snapshotId: string): string;
  /** Rescues of sandboxes a crash stopped, one `<sandbox id>.json` each. */
  rescued: string;
  rescue(sandboxId: string): string;
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
  const rescued = join(root, "rescued");
  return {
    root,
    images,
    image: (id) => join(images, id),
    imageWorkspace: (id) => join(images, id, "workspace"),
    building: join(root, "building"),
    sandboxes,
    sandbox: (id) => join(sandboxes, id),
    sandboxRecord: (id) => join(sandboxes, id, "sandbox.json"),
    snapshots,
    snapshotArchive: (id) => join(snapshots, `${id}.tar.zst`),
    snapshotMeta: (id) => join(snapshots, `${id}.json`),
    rescued,
    rescue: (id) => join(rescued, `${id}.json`),
    seccompFilter: join(root, "seccomp.bpf"),
    etc: join(root, "etc"),
  };
}
