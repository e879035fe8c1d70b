// The workspace's half of git with a remote, inside a sandbox's container: checking out commits
// a bundle brings, and bundling the work branch to push. git runs as the sandbox user, with hooks
// and fsmonitor off; the remote and its credential stay with the git container.
import { chmod, rm } from "node:fs/promises";
import { join } from "node:path";
import {
  COMMIT_HEADER,
  GitApplyQuerySchema,
  GitBundleRequestSchema,
} from "../../protocol/sandbox-container.ts";
import { parse } from "../../sandbox-host/http-json.ts";
import { copyBundle } from "../../sandbox-host/sandboxes/workspace-git.ts";
import { CONTROL_DIR } from "./container-config.ts";
import { readJson, saveBody, sendFile, type Route } from "./http-kit.ts";

/** Runs argv in the workspace as the sandbox user; fails naming `what` unless `what` is empty. */
export type InSandbox = (argv: string[], what: string) => Promise<{ ok: boolean; out: string }>;

// Nothing the workspace configures runs during sync or push.
const SAFE_GIT = ["git", "-c", "core.hooksPath=/dev/null", "-c", "core.fsmonitor=false"];

/** The git routes of a sandbox (`base` matches `/v1/sandboxes/:id`). */
export function sandboxGitRoutes(deps: {
  base: string;
  own: (id: string | undefined) => void;
  inSandbox: InSandbox;
  scratch: string;
}): Route[] {
  const { base, own, inSandbox, scratch } = deps;
  return [
    [
      "POST",
      new RegExp(`${base}/git/apply$`),
      async (req, res, [id]) => {
        own(id);
        const url = new URL(req.url ?? "/", "http://container");
        const query = parse(GitApplyQuerySchema, Object.fromEntries(url.searchParams));
        const bundle = join(CONTROL_DIR, "inbox", "sync.bundle");
        await saveBody(req, bundle);
        try {
          await chmod(bundle, 0o644);
          const fetched = await inSandbox(
            [...SAFE_GIT, "cat-file", "-e", `${query.commit}^{commit}`],
            "",
          );
          if (!fetched.ok) {
            await inSandbox(
              [
                ...SAFE_GIT,
                "fetch",
                "--quiet",
                "--no-tags",
                `${CONTROL_DIR}/inbox/sync.bundle`,
                `refs/heads/${query.branch}:refs/remotes/origin/${query.branch}`,
              ],
              "fetching the new commits",
            );
          }
        } finally {
          await rm(bundle, { force: true });
        }
        await inSandbox(
          [...SAFE_GIT, "checkout", "--quiet", "-B", query.workBranch, query.commit],
          "checking out the latest commit",
        );
        res.writeHead(204).end();
      },
    ],
    [
      "POST",
      new RegExp(`${base}/git/bundle$`),
      async (req, res, [id]) => {
        own(id);
        const request = parse(GitBundleRequestSchema, await readJson(req));
        const local = `refs/heads/${request.workBranch}`;
        const head = (
          await inSandbox([...SAFE_GIT, "rev-parse", "--verify", local], "reading the work branch")
        ).out;
        const hasBase =
          request.base !== null &&
          (await inSandbox([...SAFE_GIT, "merge-base", "--is-ancestor", request.base, head], ""))
            .ok;
        await inSandbox(
          [
            ...SAFE_GIT,
            "bundle",
            "create",
            "--quiet",
            `${CONTROL_DIR}/outbox/push.bundle`,
            local,
            ...(hasBase ? [`^${request.base}`] : []),
          ],
          "bundling the work branch",
        );
        const copy = join(scratch, `push-${Date.now()}.bundle`);
        await copyBundle(join(CONTROL_DIR, "outbox", "push.bundle"), copy);
        await sendFile(res, copy, { [COMMIT_HEADER]: head });
      },
    ],
  ];
}
