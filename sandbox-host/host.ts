// Composes the sandbox host: checks the machine, reconciles leftovers, and serves the API.
import { createHash } from "node:crypto";
import { chmod, mkdir, writeFile } from "node:fs/promises";
import type { AddressInfo } from "node:net";
import type { Capabilities } from "../protocol/sandbox-host.ts";
import type { HostConfig } from "./config.ts";
import { ImageStore } from "./images/image-store.ts";
import { BUBBLEWRAP_INSTALL_HINT, findBubblewrap, writeEtcFiles } from "./isolation/bwrap.ts";
import { probeCapabilities } from "./isolation/capabilities.ts";
import { detectCgroups } from "./isolation/cgroups.ts";
import { seccompFilter } from "./isolation/seccomp.ts";
import { hostPaths } from "./paths.ts";
import { reconcile } from "./reconcile.ts";
import { SandboxManager } from "./sandboxes/sandbox-manager.ts";
import { createHostServer } from "./server.ts";
import { RescueStore } from "./snapshots/rescue-store.ts";
import { SnapshotStore } from "./snapshots/snapshot-store.ts";

/** A running sandbox host. */
export interface RunningHost {
  url: string;
  capabilities: Capabilities;
  stop(): Promise<void>;
}

/** Starts the host; fails with a sentence saying what to install or fix. */
export async function startHost(
  config: HostConfig,
  log: (message: string, fields?: Record<string, unknown>) => void,
): Promise<RunningHost> {
  if (!(await findBubblewrap())) throw new Error(BUBBLEWRAP_INSTALL_HINT);
  const paths = hostPaths(config.stateDir);
  // One cgroup group per state folder, so that reconciling never touches another host's sandboxes.
  const cgroupGroup = `tandem-${createHash("sha256").update(paths.root).digest("hex").slice(0, 12)}`;
  const probed = await probeCapabilities({ cgroupGroup });
  if (!probed.root) {
    throw new Error(
      "The sandbox host needs root to mount overlays and drop each sandbox to its own uid; run it as root.",
    );
  }
  const dirs = [paths.images, paths.building, paths.sandboxes, paths.snapshots, paths.rescued];
  for (const dir of [paths.root, ...dirs]) await mkdir(dir, { recursive: true });
  // Other host users may pass through to nothing: images, snapshots and rescues are root's,
  // sandboxes and builds belong to root and the sandbox user only.
  await chmod(paths.root, 0o711);
  for (const dir of [paths.images, paths.snapshots, paths.rescued]) await chmod(dir, 0o700);
  for (const dir of [paths.building, paths.sandboxes]) await chmod(dir, 0o711);
  await writeFile(paths.seccompFilter, seccompFilter());
  await mkdir(paths.etc, { recursive: true });
  await writeEtcFiles(paths.etc, {
    uid: config.sandboxUid,
    gid: config.sandboxUid,
    hostname: "sandbox",
  });
  const cgroups = await detectCgroups("/sys/fs/cgroup", cgroupGroup);
  const images = new ImageStore(paths);
  const snapshots = new SnapshotStore(paths);
  const rescues = new RescueStore(paths, snapshots);
  const reconciled = await reconcile({ paths, cgroups, images, rescues, log });
  if (Object.values(reconciled).some((n) => n > 0)) log("host.reconciled", { ...reconciled });

  const capabilities: Capabilities = {
    provider: "sandbox-host",
    root: probed.root,
    isolation: "bubblewrap",
    limits: { memory: probed.cgroups.memory, pids: probed.cgroups.pids, cpu: probed.cgroups.cpu },
    seccomp: probed.seccomp,
    network: config.controlPlane ? "control-plane-only" : "none",
    snapshots: true,
    missing: probed.missing,
  };
  const sandboxes = new SandboxManager({ config, paths, images, snapshots, cgroups, log });
  const server = createHostServer({
    token: config.token,
    capabilities,
    images,
    snapshots,
    rescues,
    sandboxes,
    builder: { config, paths, cgroups },
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
    async stop() {
      server.close();
      server.closeAllConnections();
      await sandboxes.destroyAll();
      await cgroups.dispose();
    },
  };
}
