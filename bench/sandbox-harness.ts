// The sandbox host the sandbox benchmark drives: a real host in this process over its own state
// folder with one built image, torn down completely (sandboxes, overlays, cgroups, folders) however the run ends.
import { createHash } from "node:crypto";
import { access, constants, mkdtemp, readdir, rm, rmdir } from "node:fs/promises";
import { tmpdir } from "node:os";
import { delimiter, join, resolve } from "node:path";
import type { CreateSandboxRequest, Image, Sandbox } from "../protocol/sandbox-host.ts";
import type { SandboxHostClient } from "../sandbox/host-client.ts";
import { makeTestRepo, type TestRepo } from "../sandbox/test-repo.ts";
import { BUBBLEWRAP_INSTALL_HINT, findBubblewrap } from "../sandbox-host/isolation/bwrap.ts";
import { overlayMountsUnder, unmount } from "../sandbox-host/isolation/overlay.ts";
import {
  sandboxTestsUnavailable,
  startTestHost,
  type TestHost,
} from "../sandbox-host/test-host.ts";

const CGROUP_ROOT = "/sys/fs/cgroup";
/** Host tools besides bwrap that images (git) and snapshots (tar, zstd) need. */
const REQUIRED_TOOLS = ["git", "tar", "zstd", "setpriv", "mount"] as const;

/** A running host with one image, and sandboxes that cleanup will destroy if the caller does not. */
export interface SandboxBench {
  client: SandboxHostClient;
  /** Where the host listens and the token it expects, for a control plane that should use it. */
  endpoint: { url: string; token: string };
  /** The repository the image is built from (a local path the host clones). */
  repo: TestRepo;
  image: Image;
  /** Creates a sandbox and remembers it until `destroy`. */
  create(from: CreateSandboxRequest["from"]): Promise<Sandbox>;
  /** Remembers a sandbox someone else started (the control plane's pool) until `destroy`. */
  adopt(sandboxId: string): void;
  destroy(sandboxId: string): Promise<void>;
}

/** Why the sandbox host cannot run here, or null when it can. */
export async function sandboxBenchUnavailable(): Promise<string | null> {
  const reason = sandboxTestsUnavailable();
  if (reason) return reason;
  if (!(await findBubblewrap())) return BUBBLEWRAP_INSTALL_HINT;
  for (const tool of REQUIRED_TOOLS) {
    if (!(await onPath(tool))) return `${tool} is not installed; the sandbox host needs it`;
  }
  return null;
}

/** Starts a host, builds an image of a repository holding `files`, runs `use`, and cleans up. */
export async function withSandboxHost<T>(
  files: Record<string, string>,
  log: (message: string) => void,
  use: (bench: SandboxBench) => Promise<T>,
): Promise<T> {
  // Our own folder rather than startTestHost's, so that it is removed even if the host fails to start.
  const stateDir = await mkdtemp(join(tmpdir(), "tandem-bench-host-"));
  const live = new Set<string>();
  let test: TestHost | null = null;
  let repo: TestRepo | null = null;
  try {
    test = await startTestHost({ stateDir });
    repo = await makeTestRepo(files);
    const image = await test.client.buildImage({
      repo: "bench/sandbox",
      cloneUrl: repo.dir,
      commit: repo.commits[0]!,
    });
    const { client } = test;
    return await use({
      client,
      endpoint: { url: test.host.url, token: test.config.token },
      repo,
      image,
      async create(from) {
        const sandbox = await client.createSandbox({ from });
        live.add(sandbox.id);
        return sandbox;
      },
      adopt(sandboxId) {
        live.add(sandboxId);
      },
      async destroy(sandboxId) {
        live.delete(sandboxId);
        await client.destroySandbox(sandboxId);
      },
    });
  } finally {
    await cleanUp({ test, live, stateDir, repo, log });
  }
}

/** Undoes everything a run made, logging (not throwing) what could not be undone. */
async function cleanUp(state: {
  test: TestHost | null;
  live: Set<string>;
  stateDir: string;
  repo: TestRepo | null;
  log: (message: string) => void;
}): Promise<void> {
  const { test, live, stateDir, repo, log } = state;
  const warn = (what: string, error: unknown) =>
    log(`sandbox cleanup: ${what}: ${error instanceof Error ? error.message : String(error)}`);
  if (test) {
    for (const sandboxId of live) {
      await test.client.destroySandbox(sandboxId).catch((error) => warn(sandboxId, error));
    }
    // Stops the server, destroys whatever is left and removes the state folder.
    await test.stop().catch((error) => warn("stopping the host", error));
  }
  for (const mountPoint of await overlayMountsUnder(stateDir)) {
    log(`sandbox cleanup: the host left an overlay at ${mountPoint}; unmounting it`);
    await unmount(mountPoint).catch((error) => warn(`unmounting ${mountPoint}`, error));
  }
  await rm(stateDir, { recursive: true, force: true, maxRetries: 3 }).catch((error) =>
    warn(stateDir, error),
  );
  if (repo) await rm(repo.dir, { recursive: true, force: true }).catch((e) => warn(repo.dir, e));
  await removeCgroupGroup(stateDir, warn);
}

/** Removes the host's (by then empty) cgroup group in every hierarchy. The host names it
 * `tandem-` + 12 hex digits of the SHA-256 of its state folder (sandbox-host/host.ts) and
 * does not remove it when it stops; a group still holding sandbox cgroups is left and reported. */
async function removeCgroupGroup(
  stateDir: string,
  warn: (what: string, error: unknown) => void,
): Promise<void> {
  const hash = createHash("sha256").update(resolve(stateDir)).digest("hex").slice(0, 12);
  const group = `tandem-${hash}`;
  const bases = [
    CGROUP_ROOT,
    ...(await subdirs(CGROUP_ROOT)).map((name) => join(CGROUP_ROOT, name)),
  ];
  for (const base of bases) {
    const dir = join(base, group);
    await rmdir(dir).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== "ENOENT") warn(`removing cgroup ${dir}`, error);
    });
  }
}

async function onPath(tool: string): Promise<boolean> {
  for (const dir of (process.env.PATH ?? "/usr/bin:/bin").split(delimiter)) {
    if (!dir) continue;
    const found = await access(join(dir, tool), constants.X_OK).then(
      () => true,
      () => false,
    );
    if (found) return true;
  }
  return false;
}

async function subdirs(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  return entries.filter((entry) => entry.isDirectory()).map((entry) => entry.name);
}
