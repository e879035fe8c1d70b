// Git between a sandbox's workspace and its remote, without the credential or the host ever
// meeting code the workspace controls. The host talks to the remote from a root-owned mirror; the
// sandbox and the mirror exchange only bundle files, handled inside the sandbox as the sandbox user.
import { createHash } from "node:crypto";
import { constants } from "node:fs";
import { chmod, mkdir, open, rm, stat } from "node:fs/promises";
import { join } from "node:path";
import type {
  GitPushRequest,
  GitPushResult,
  GitSyncRequest,
  GitSyncResult,
} from "../../protocol/sandbox-host.ts";
import { SandboxError } from "../../sandbox/provider.ts";
import { pushError } from "../../sandbox/push-error.ts";
import { withHostGit } from "../images/host-git.ts";
import type { ImageStore } from "../images/image-store.ts";
import type { HostPaths } from "../paths.ts";
import { run } from "../run.ts";
import type { SandboxManager } from "./sandbox-manager.ts";

/** The largest bundle a sandbox may hand the host for a push. */
export const MAX_PUSH_BUNDLE_BYTES = 512 * 1024 * 1024;
const INBOX = "/run/tandem/inbox";
const OUTBOX = "/run/tandem/outbox";
// Inside the sandbox, too, nothing the workspace configures runs during sync.
const SAFE_GIT = ["git", "-c", "core.hooksPath=/dev/null", "-c", "core.fsmonitor=false"];

/** What workspace git needs from the host. */
export interface WorkspaceGitDeps {
  paths: HostPaths;
  sandboxes: SandboxManager;
  images: ImageStore;
}

/** The image a sandbox stands on (null if it was deleted meanwhile). */
async function imageOf(deps: WorkspaceGitDeps, sandboxId: string) {
  const sandbox = deps.sandboxes.get(sandboxId);
  if (!sandbox) throw new SandboxError("not_found", "No sandbox with that id on this host.");
  return deps.images.get(sandbox.imageId);
}

/** The host's mirror of a remote: one per clone URL, root-owned, never visible to sandboxes. */
async function mirrorOf(paths: HostPaths, cloneUrl: string): Promise<string> {
  const dir = join(
    paths.root,
    "mirrors",
    `${createHash("sha256").update(cloneUrl).digest("hex").slice(0, 24)}.git`,
  );
  if (!(await stat(dir).catch(() => null))) {
    await mkdir(join(paths.root, "mirrors"), { recursive: true, mode: 0o700 });
    await run("git", ["init", "--quiet", "--bare", dir]);
  }
  return dir;
}

const mirrorGit = (mirror: string, args: string[]) => [
  "-C",
  mirror,
  "-c",
  "core.hooksPath=/dev/null",
  ...args,
];

/** git arguments that fetch `refspec` from the remote into the mirror. */
const fetchFromRemote = (mirror: string, cloneUrl: string, refspec: string) =>
  mirrorGit(mirror, ["fetch", "--quiet", "--no-tags", "--", cloneUrl, refspec]);

async function inSandbox(
  deps: WorkspaceGitDeps,
  sandboxId: string,
  argv: string[],
  what: string,
): Promise<string> {
  const result = await deps.sandboxes.exec(sandboxId, {
    argv,
    cwd: "/workspace",
    timeoutMs: 600_000,
  });
  const stderr = Buffer.from(result.stderr, "base64").toString("utf8").trim();
  if (result.exitCode !== 0)
    throw new SandboxError(
      "invalid_input",
      `${what} failed in the workspace: ${stderr.slice(0, 2_000)}`,
    );
  return Buffer.from(result.stdout, "base64").toString("utf8").trim();
}

/**
 * Brings the workspace to the remote branch's latest commit: the host fetches it into the mirror
 * with the credential, hands the new commits over as a bundle, and the sandbox checks them out.
 */
export async function syncWorkspace(
  deps: WorkspaceGitDeps,
  sandboxId: string,
  request: GitSyncRequest,
): Promise<GitSyncResult> {
  const image = await imageOf(deps, sandboxId);
  const base = image?.commit ?? null;
  const mirror = await mirrorOf(deps.paths, request.cloneUrl);
  const commit = await withHostGit(request.credential, async (git) => {
    await git(
      fetchFromRemote(
        mirror,
        request.cloneUrl,
        `+refs/heads/${request.branch}:refs/heads/${request.branch}`,
      ),
    );
    return (await git(mirrorGit(mirror, ["rev-parse", `refs/heads/${request.branch}`]))).trim();
  });
  const bundle = join(deps.sandboxes.controlDir(sandboxId), "inbox", "sync.bundle");
  const hasBase =
    base !== null &&
    (await run("git", mirrorGit(mirror, ["merge-base", "--is-ancestor", base, commit]))).code === 0;
  if (commit !== base) {
    const range = hasBase
      ? [`refs/heads/${request.branch}`, `^${base}`]
      : [`refs/heads/${request.branch}`];
    const created = await run(
      "git",
      mirrorGit(mirror, ["bundle", "create", "--quiet", bundle, ...range]),
    );
    if (created.code !== 0)
      throw new SandboxError(
        "internal",
        `Could not bundle the new commits: ${created.stderr.trim()}`,
      );
    await chmod(bundle, 0o644);
    try {
      await inSandbox(
        deps,
        sandboxId,
        [
          ...SAFE_GIT,
          "fetch",
          "--quiet",
          "--no-tags",
          `${INBOX}/sync.bundle`,
          `refs/heads/${request.branch}:refs/remotes/origin/${request.branch}`,
        ],
        "fetching the new commits",
      );
    } finally {
      await rm(bundle, { force: true });
    }
  }
  await inSandbox(
    deps,
    sandboxId,
    [...SAFE_GIT, "checkout", "--quiet", "-B", request.workBranch, commit],
    "checking out the latest commit",
  );
  return { commit, base, changed: commit !== base };
}

/**
 * Publishes the workspace's work branch: the sandbox bundles it, the host reads the bundle (never
 * following links), fetches it into the mirror and pushes from there with the credential.
 */
export async function pushWorkspace(
  deps: WorkspaceGitDeps,
  sandboxId: string,
  request: GitPushRequest,
): Promise<GitPushResult> {
  const image = await imageOf(deps, sandboxId);
  const local = `refs/heads/${request.workBranch}`;
  const head = await inSandbox(
    deps,
    sandboxId,
    [...SAFE_GIT, "rev-parse", "--verify", local],
    "reading the work branch",
  );
  const hasBase =
    image !== null &&
    (
      await deps.sandboxes.exec(sandboxId, {
        argv: [...SAFE_GIT, "merge-base", "--is-ancestor", image.commit, head],
        cwd: "/workspace",
      })
    ).exitCode === 0;
  await inSandbox(
    deps,
    sandboxId,
    [
      ...SAFE_GIT,
      "bundle",
      "create",
      "--quiet",
      `${OUTBOX}/push.bundle`,
      local,
      ...(hasBase ? [`^${image.commit}`] : []),
    ],
    "bundling the work branch",
  );
  const mirror = await mirrorOf(deps.paths, request.cloneUrl);
  const copy = join(deps.paths.root, "mirrors", `push-${sandboxId}.bundle`);
  try {
    await copyBundle(join(deps.sandboxes.controlDir(sandboxId), "outbox", "push.bundle"), copy);
    return await withHostGit(request.credential, async (git) => {
      // The mirror needs the bundle's prerequisites: the remote's history.
      await git(fetchFromRemote(mirror, request.cloneUrl, "+refs/heads/*:refs/heads/*"));
      const staged = `refs/tandem/push/${sandboxId}`;
      await git(mirrorGit(mirror, ["fetch", "--quiet", "--no-tags", copy, `+${local}:${staged}`]));
      const pushed = (await git(mirrorGit(mirror, ["rev-parse", staged]))).trim();
      const refspec = `${request.force ? "+" : ""}${staged}:refs/heads/${request.branch}`;
      await git(mirrorGit(mirror, ["push", "--quiet", "--", request.cloneUrl, refspec])).catch(
        (error: unknown) => {
          throw pushError(error);
        },
      );
      return { commit: pushed, branch: request.branch };
    });
  } finally {
    await rm(copy, { force: true });
  }
}

/** Copies the sandbox's bundle without following a link it may have put in its place (nor
 * waiting on a FIFO: O_NONBLOCK changes nothing for the regular file it must be). */
export async function copyBundle(from: string, to: string): Promise<void> {
  const flags = constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK;
  const handle = await open(from, flags).catch(() => {
    throw new SandboxError(
      "invalid_input",
      "The workspace did not produce a bundle to push (or replaced it with a link).",
    );
  });
  try {
    const info = await handle.stat();
    if (!info.isFile())
      throw new SandboxError("invalid_input", "The bundle to push is not a regular file.");
    if (info.size > MAX_PUSH_BUNDLE_BYTES)
      throw new SandboxError("invalid_input", "The bundle to push is larger than 512 MiB.");
    const out = await open(to, constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC, 0o600);
    try {
      const buffer = Buffer.alloc(1024 * 1024);
      for (;;) {
        const { bytesRead } = await handle.read(buffer, 0, buffer.length, null);
        if (bytesRead === 0) break;
        await out.write(buffer, 0, bytesRead);
      }
    } finally {
      await out.close();
    }
  } finally {
    await handle.close();
    await rm(from, { force: true, recursive: true });
  }
}
