// Composes the sandbox host: checks the machine, reconciles leftovers, and serves the API.
import { createHash } from "node:crypto";
import { chmod, mkdir, writeFile } from "node:fs/promises";
import type { AddressInfo } from "node:net";
import type { Capabilities } from "../protocol/sandbox-host.ts";
import type { HostConfig } from "./config.ts";
import { claimStateFolder, type HostMode } from "./host-mode.ts";
import { ImageStore } from "./images/image-store.ts";
import { BUBBLEWRAP_INSTALL_HINT, findBubblewrap, writeEtcFiles } from "./isolation/bwrap.ts";
import { probeCapabilities, USERNS_HINT, type HostCapabilities } from "./isolation/capabilities.ts";
import { detectCgroups } from "./isolation/cgroups.ts";
import { seccompFilter } from "./isolation/seccomp.ts";
import { hostPaths, type HostPaths } from "./paths.ts";
import { reconcile } from "./reconcile.ts";
import { SandboxManager } from "./sandboxes/sandbox-manager.ts";
import { createHostServer } from "./server.ts";
import { RescueStore } from "./snapshots/rescue-store.ts";
import { SnapshotStore } from "./snapshots/snapshot-store.ts";

type Log = (message: string, fields?: Record<string, unknown>) => void;

/** A running sandbox host. */
export interface RunningHost {
  url: string;
  capabilities: Capabilities;
  mode: HostMode;
  /** Stops serving and stops every sandbox. Unless `rescue` is false, each running sandbox's
   * layer is saved as its rescue first, for at most the configured stop time. */
  stop(options?: { rescue?: boolean }): Promise<void>;
}

/** Starts the host; fails with a sentence saying what to install or fix. */
export async function startHost(config: HostConfig, log: Log): Promise<RunningHost> {
  if (!(await findBubblewrap())) throw new Error(BUBBLEWRAP_INSTALL_HINT);
  const paths = hostPaths(config.stateDir);
  const dirs = [paths.images, paths.building, paths.sandboxes, paths.snapshots, paths.rescued];
  for (const dir of [paths.root, ...dirs]) await mkdir(dir, { recursive: true });
  // One cgroup group per state folder, so that reconciling never touches another host's sandboxes.
  const cgroupGroup = `tandem-${createHash("sha256").update(paths.root).digest("hex").slice(0, 12)}`;
  const cgroups = await detectCgroups("/sys/fs/cgroup", cgroupGroup);
  // Probed in the state folder: whether overlays work in a user namespace depends on its filesystem.
  const probed = await probeCapabilities({ cgroups, scratchDir: paths.root });
  if (!probed.userNamespaces) throw new Error(`The sandbox host cannot isolate: ${USERNS_HINT}.`);
  const mode = hostMode(probed, config);
  await claimStateFolder(paths.root, mode);
  await restrictAccess(paths, mode);
  await writeFile(paths.seccompFilter, seccompFilter());
  await mkdir(paths.etc, { recursive: true });
  await writeEtcFiles(paths.etc, {
    uid: config.sandboxUid,
    gid: config.sandboxUid,
    hostname: "sandbox",
  });
  const images = new ImageStore(paths, mode);
  const snapshots = new SnapshotStore(paths, mode);
  const rescues = new RescueStore(paths, snapshots);
  const reconciled = await reconcile({ mode, paths, cgroups, images, snapshots, rescues, log });
  if (Object.values(reconciled).some((n) => n > 0)) log("host.reconciled", { ...reconciled });

  const capabilities: Capabilities = {
    provider: "sandbox-host",
    root: probed.root,
    isolation: "bubblewrap",
    limits: { memory: probed.cgroups.memory, pids: probed.cgroups.pids, cpu: probed.cgroups.cpu },
    seccomp: probed.seccomp,
    network: config.controlPlane ? "control-plane-only" : "none",
    snapshots: true,
    missing: [
      ...probed.missing,
      ...(mode.workspaces === "copy" && !probed.missing.some((m) => m.includes("copy-on-write"))
        ? [
            "no copy-on-write workspaces: TANDEM_HOST_WORKSPACES=copy gives each sandbox a full copy of its image",
          ]
        : []),
    ],
  };
  const sandboxes = new SandboxManager({ config, mode, paths, images, snapshots, cgroups, log });
  const server = createHostServer({
    token: config.token,
    capabilities,
    images,
    snapshots,
    rescues,
    sandboxes,
    builder: { config, paths, cgroups, mode },
    log,
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(config.port, config.address, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${config.address}:${port}`,
    capabilities,
    mode,
    async stop(options = {}) {
      server.close();
      server.closeAllConnections();
      if (options.rescue === false) await sandboxes.destroyAll();
      else await stopSaving(sandboxes, rescues, config.stopTimeoutMs, log);
      await cgroups.dispose();
    },
  };
}

/** Root hosts mount overlays themselves; rootless ones inside a user namespace when the kernel
 * allows it there. Either copies the image when overlays do not work or copies are asked for. */
function hostMode(probed: HostCapabilities, config: HostConfig): HostMode {
  const overlays = probed.root ? probed.overlay : probed.userxattrOverlay;
  return {
    rootless: !probed.root,
    workspaces: overlays && config.workspaces !== "copy" ? "overlay" : "copy",
  };
}

/** Other host users may pass through to nothing: images, snapshots and rescues are the host's;
 * as root, sandboxes and builds are also traversable by the sandbox uid that bwrap runs as. */
async function restrictAccess(paths: HostPaths, mode: HostMode): Promise<void> {
  const traversable = mode.rootless ? 0o700 : 0o711;
  await chmod(paths.root, traversable);
  for (const dir of [paths.images, paths.snapshots, paths.rescued]) await chmod(dir, 0o700);
  for (const dir of [paths.building, paths.sandboxes]) await chmod(dir, traversable);
}

/** Stops every sandbox, saving each running one's layer as its rescue first, so that a session
 * whose host was stopped comes back with its work as after a crash. A sandbox still unsaved when
 * the time is up is left for the next start to rescue; the host exits regardless. */
async function stopSaving(
  sandboxes: SandboxManager,
  rescues: RescueStore,
  timeoutMs: number,
  log: Log,
): Promise<void> {
  const started = performance.now();
  const deadline = new AbortController();
  // A timer of our own rather than AbortSignal.timeout's, which would not keep the process alive.
  const timer = setTimeout(
    () => deadline.abort(new Error("the host's time to stop ran out")),
    timeoutMs,
  );
  try {
    const outcome = await sandboxes.stopAll(async (layer, signal) => {
      const saved = await rescues.rescue(layer.dir, layer.sandboxId, layer.imageId, signal);
      log("host.rescued", {
        sandboxId: layer.sandboxId,
        snapshotId: saved.snapshotId,
        imageId: layer.imageId,
        after: "stop",
      });
    }, deadline.signal);
    for (const unsaved of outcome.unsaved)
      log("host.rescue.unsaved", { ...unsaved, then: "the next start rescues it" });
    log("host.stopped", {
      rescued: outcome.saved.length,
      unsaved: outcome.unsaved.length,
      ms: Math.round(performance.now() - started),
    });
  } finally {
    clearTimeout(timer);
  }
}
