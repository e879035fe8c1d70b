// git with remotes for container sandboxes: a git container per remote (the only one with a
// credential and the internet) and the sandbox's container exchange bundles through the provider.
import { sha256Hex } from "../../crypto/digest.ts";
import { COMMIT_HEADER, GitFilesResultSchema } from "../../protocol/sandbox-container.ts";
import {
  GitPushRequestSchema,
  GitPushResultSchema,
  GitSyncRequestSchema,
  type GitPushResult,
  type GitSyncResult,
  type ResolveBranchRequest,
} from "../../protocol/sandbox-host.ts";
import { SandboxError, type GitPushRequestInput, type GitSyncRequestInput } from "../provider.ts";
import {
  call,
  framed,
  lengthOf,
  startContainer,
  type ContainerNamespace,
  type ContainerStub,
} from "./container-calls.ts";
import type { SandboxIndex } from "./sandbox-index.ts";

/** What the git flows need. */
export interface GitContext {
  containers: ContainerNamespace;
  index: SandboxIndex;
  /** The image a running sandbox stands on (fails with not_found or sandbox_exited). */
  imageOf(sandboxId: string): Promise<string>;
}

/** The running git container of a remote. */
export async function gitContainer(
  containers: ContainerNamespace,
  cloneUrl: string,
): Promise<ContainerStub> {
  const stub = containers.get(`git-${(await sha256Hex(cloneUrl)).slice(0, 24)}`);
  await startContainer(stub, { role: "git", internet: true, instance: "basic" });
  return stub;
}

/** The commit a remote branch points at. */
export async function resolveBranchInContainers(
  containers: ContainerNamespace,
  request: ResolveBranchRequest,
): Promise<string> {
  const git = await gitContainer(containers, request.cloneUrl);
  const answer = await call(git, "POST", "/v1/git/resolve", { json: request });
  return ((await answer.json()) as { commit: string }).commit;
}

/** Regular files of a remote at a commit (null where absent). */
export async function readRemoteFiles(
  containers: ContainerNamespace,
  request: {
    cloneUrl: string;
    commit: string;
    paths: string[];
    credential?: { username: string; password: string };
  },
): Promise<Record<string, string | null>> {
  const git = await gitContainer(containers, request.cloneUrl);
  const answer = await call(git, "POST", "/v1/git/files", { json: request });
  return GitFilesResultSchema.parse(await answer.json()).files;
}

/** Brings a sandbox's workspace to the remote branch's latest commit. */
export async function syncInContainers(
  context: GitContext,
  sandboxId: string,
  input: GitSyncRequestInput,
): Promise<GitSyncResult> {
  const request = GitSyncRequestSchema.parse(input);
  const imageId = await context.imageOf(sandboxId);
  const base = (await context.index.image(imageId))?.commit ?? null;
  const git = await gitContainer(context.containers, request.cloneUrl);
  const fetched = await call(git, "POST", "/v1/git/fetch", {
    json: {
      cloneUrl: request.cloneUrl,
      branch: request.branch,
      base,
      credential: request.credential,
    },
  });
  const commit = fetched.headers.get(COMMIT_HEADER);
  if (!commit) throw new SandboxError("internal", "The git container named no commit.");
  const query = new URLSearchParams({
    branch: request.branch,
    commit,
    workBranch: request.workBranch,
  });
  const applied = await call(
    context.containers.get(sandboxId),
    "POST",
    `/v1/sandboxes/${encodeURIComponent(sandboxId)}/git/apply?${query}`,
    { stream: fetched.body, length: lengthOf(fetched) },
  );
  await applied.body?.cancel();
  return { commit, base, changed: commit !== base };
}

/** Publishes a sandbox's work branch to a remote branch. */
export async function pushFromContainers(
  context: GitContext,
  sandboxId: string,
  input: GitPushRequestInput,
): Promise<GitPushResult> {
  const request = GitPushRequestSchema.parse(input);
  const imageId = await context.imageOf(sandboxId);
  const base = (await context.index.image(imageId))?.commit ?? null;
  const bundle = await call(
    context.containers.get(sandboxId),
    "POST",
    `/v1/sandboxes/${encodeURIComponent(sandboxId)}/git/bundle`,
    { json: { workBranch: request.workBranch, base } },
  );
  const git = await gitContainer(context.containers, request.cloneUrl);
  const head = {
    cloneUrl: request.cloneUrl,
    workBranch: request.workBranch,
    branch: request.branch,
    force: request.force,
    ...(request.credential ? { credential: request.credential } : {}),
  };
  const pushed = await call(git, "POST", "/v1/git/push", { stream: framed(head, bundle.body) });
  return GitPushResultSchema.parse(await pushed.json());
}
