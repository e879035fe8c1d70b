// The git role: the only container that talks to a remote repository, from a bare mirror, with the
// credential of each request handed to that request's git processes alone (an askpass script
// reading it from their environment). Sandboxes and builds exchange only bundles with it.
import { createHash, randomBytes } from "node:crypto";
import { mkdir, rm, stat } from "node:fs/promises";
import { join } from "node:path";
import {
  COMMIT_HEADER,
  GitCloneBundleRequestSchema,
  GitFetchRequestSchema,
  GitFilesRequestSchema,
  GitPushFrameSchema,
  GitResolveRequestSchema,
} from "../../protocol/sandbox-container.ts";
import type { GitPushResult } from "../../protocol/sandbox-host.ts";
import { SandboxError } from "../../sandbox/provider.ts";
import { pushError } from "../../sandbox/push-error.ts";
import { json, parse } from "../../sandbox-host/http-json.ts";
import { resolveBranch, withHostGit } from "../../sandbox-host/images/host-git.ts";
import { run } from "../../sandbox-host/run.ts";
import { BUILD_REF } from "./build-role.ts";
import type { ContainerConfig } from "./container-config.ts";
import { readFramed, readJson, sendFile, type Route } from "./http-kit.ts";

type Git = (args: string[]) => Promise<string>;
type Credential = { username: string; password: string } | undefined;

/** The git role's routes. */
export function gitRole(config: ContainerConfig): { routes: Route[] } {
  const mirrors = join(config.stateDir, "mirrors");
  const scratch = join(config.stateDir, "scratch");
  // git takes ref locks: one operation at a time per mirror.
  const queues = new Map<string, Promise<unknown>>();

  /** Runs `use` on the remote's mirror (created on first use), after earlier operations on it. */
  const withMirror = <T>(
    cloneUrl: string,
    credential: Credential,
    use: (git: Git, mirror: string) => Promise<T>,
  ): Promise<T> => {
    const mirror = join(
      mirrors,
      `${createHash("sha256").update(cloneUrl).digest("hex").slice(0, 24)}.git`,
    );
    const previous = queues.get(mirror) ?? Promise.resolve();
    const next = previous
      .catch(() => {})
      .then(async () => {
        await mkdir(scratch, { recursive: true, mode: 0o700 });
        if (!(await stat(mirror).catch(() => null))) {
          await mkdir(mirrors, { recursive: true, mode: 0o700 });
          await withHostGit(undefined, (git) => git(["init", "--quiet", "--bare", mirror]));
        }
        return withHostGit(credential, (git) =>
          use((args) => git(["-C", mirror, "-c", "core.hooksPath=/dev/null", ...args]), mirror),
        );
      });
    queues.set(mirror, next);
    return next;
  };

  /** Fetches every branch, then the commit itself if no branch holds it. */
  const fetchCommit = async (git: Git, cloneUrl: string, commit: string): Promise<string> => {
    await remote(
      git(["fetch", "--quiet", "--no-tags", "--", cloneUrl, "+refs/heads/*:refs/heads/*"]),
    );
    const have = await git(["rev-parse", "--verify", "--quiet", `${commit}^{commit}`]).catch(
      () => "",
    );
    if (have.trim()) return have.trim();
    await remote(git(["fetch", "--quiet", "--no-tags", "--", cloneUrl, commit]));
    return (await git(["rev-parse", "--verify", `${commit}^{commit}`])).trim();
  };

  const routes: Route[] = [
    [
      "POST",
      /^\/v1\/git\/resolve$/,
      async (req, res) => {
        const request = parse(GitResolveRequestSchema, await readJson(req));
        const commit = await remote(
          resolveBranch(request.cloneUrl, request.branch, request.credential),
        );
        if (!commit)
          throw new SandboxError("not_found", `The repository has no branch ${request.branch}.`);
        json(res, 200, { commit });
      },
    ],
    [
      "POST",
      /^\/v1\/git\/files$/,
      async (req, res) => {
        const request = parse(GitFilesRequestSchema, await readJson(req));
        const files = await withMirror(request.cloneUrl, request.credential, async (git) => {
          const commit = await fetchCommit(git, request.cloneUrl, request.commit);
          const found: Record<string, string | null> = {};
          for (const path of request.paths) found[path] = await regularFile(git, commit, path);
          return found;
        });
        json(res, 200, { files });
      },
    ],
    [
      "POST",
      /^\/v1\/git\/clone-bundle$/,
      async (req, res) => {
        const request = parse(GitCloneBundleRequestSchema, await readJson(req));
        const file = join(scratch, `clone-${randomBytes(8).toString("hex")}.bundle`);
        await withMirror(request.cloneUrl, request.credential, async (git) => {
          const commit = await fetchCommit(git, request.cloneUrl, request.commit);
          await git(["update-ref", BUILD_REF, commit]);
          await git(["bundle", "create", "--quiet", file, BUILD_REF]);
        });
        await sendFile(res, file);
      },
    ],
    [
      "POST",
      /^\/v1\/git\/fetch$/,
      async (req, res) => {
        const request = parse(GitFetchRequestSchema, await readJson(req));
        const file = join(scratch, `fetch-${randomBytes(8).toString("hex")}.bundle`);
        const commit = await withMirror(
          request.cloneUrl,
          request.credential,
          async (git, mirror) => {
            const ref = `refs/heads/${request.branch}`;
            await remote(
              git(["fetch", "--quiet", "--no-tags", "--", request.cloneUrl, `+${ref}:${ref}`]),
            );
            const commit = (await git(["rev-parse", ref])).trim();
            if (commit === request.base) return commit;
            const hasBase =
              request.base !== null &&
              (
                await run("git", [
                  "-C",
                  mirror,
                  "merge-base",
                  "--is-ancestor",
                  request.base,
                  commit,
                ])
              ).code === 0;
            await git([
              "bundle",
              "create",
              "--quiet",
              file,
              ref,
              ...(hasBase ? [`^${request.base}`] : []),
            ]);
            return commit;
          },
        );
        if (commit === request.base) {
          res.writeHead(200, { [COMMIT_HEADER]: commit, "content-length": "0" }).end();
          return;
        }
        await sendFile(res, file, { [COMMIT_HEADER]: commit });
      },
    ],
    [
      "POST",
      /^\/v1\/git\/push$/,
      async (req, res) => {
        const bundle = join(scratch, `push-${randomBytes(8).toString("hex")}.bundle`);
        await mkdir(scratch, { recursive: true, mode: 0o700 });
        try {
          const request = parse(GitPushFrameSchema, await readFramed(req, bundle));
          const result = await withMirror(request.cloneUrl, request.credential, async (git) => {
            // The bundle's prerequisites are the remote's history.
            await remote(
              git([
                "fetch",
                "--quiet",
                "--no-tags",
                "--",
                request.cloneUrl,
                "+refs/heads/*:refs/heads/*",
              ]),
            );
            const staged = `refs/tandem/push/${randomBytes(8).toString("hex")}`;
            const local = `refs/heads/${request.workBranch}`;
            await git(["fetch", "--quiet", "--no-tags", bundle, `+${local}:${staged}`]).catch(
              (error: unknown) => {
                throw new SandboxError(
                  "invalid_input",
                  `The work branch's bundle is not usable: ${message(error)}`,
                );
              },
            );
            try {
              const pushed = (await git(["rev-parse", staged])).trim();
              const refspec = `${request.force ? "+" : ""}${staged}:refs/heads/${request.branch}`;
              await git(["push", "--quiet", "--", request.cloneUrl, refspec]).catch(
                (error: unknown) => {
                  throw pushError(error);
                },
              );
              return { commit: pushed, branch: request.branch } satisfies GitPushResult;
            } finally {
              await git(["update-ref", "-d", staged]).catch(() => {});
            }
          });
          json(res, 200, result);
        } finally {
          await rm(bundle, { force: true });
        }
      },
    ],
  ];
  return { routes };
}

/** A regular file's text at a commit; null when absent; refused when it, or a folder on its
 * way, is a symlink (the recipe is read by trusted code and must be what the tree shows). */
async function regularFile(git: Git, commit: string, path: string): Promise<string | null> {
  const parts = path.split("/");
  for (let i = 1; i <= parts.length; i++) {
    const prefix = parts.slice(0, i).join("/");
    const entry = (await git(["ls-tree", commit, "--", prefix])).trim();
    if (!entry) return null;
    const [mode, type] = entry.split(/\s/);
    if (mode === "120000")
      throw new SandboxError(
        "build_failed",
        `${prefix} is a symbolic link; a recipe must be a regular file.`,
      );
    if (i === parts.length) return type === "blob" ? git(["show", `${commit}:${path}`]) : null;
  }
  return null;
}

/** A failure reaching the remote is the caller's to fix (URL, credential, branch). */
function remote<T>(operation: Promise<T>): Promise<T> {
  return operation.catch((error: unknown) => {
    if (error instanceof SandboxError) throw error;
    throw new SandboxError("invalid_input", `The remote repository refused: ${message(error)}`);
  });
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
