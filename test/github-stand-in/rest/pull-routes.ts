// Pull requests: open, list, read and edit (close, reopen, retitle, rebase onto another branch).
import type { StandInContext } from "../context.ts";
import { branchSha, git } from "../git/commands.ts";
import { sendRepoEvent } from "../git/ref-changes.ts";
import { pullDetails } from "../pulls/pull-details.ts";
import { pullRequest, pullRequestSimple } from "../shapes/pull-request.ts";
import { nodeId, timestamp, type Account, type Pull, type Repo } from "../state/world.ts";
import { pullRequestPayload } from "../webhooks/payloads.ts";
import { paginate } from "./paginate.ts";
import {
  actingAccount,
  fail,
  requireRepo,
  validationFailed,
  type RestRequest,
  type RestRoute,
} from "./route.ts";

/** The pull request of the path's `pull_number`. */
export function requirePull(request: RestRequest, repo: Repo): Pull {
  return (
    repo.pulls.find((pull) => String(pull.number) === request.params.pull_number) ??
    fail(404, "Not Found")
  );
}

/** Sends a `pull_request` event with the pull request as it is now. */
export async function announcePull(
  ctx: StandInContext,
  repo: Repo,
  pull: Pull,
  action: "opened" | "closed" | "reopened" | "edited",
  sender: Account,
  extra: Record<string, unknown> = {},
): Promise<void> {
  const details = await pullDetails(repo, pull);
  sendRepoEvent(
    ctx,
    repo,
    "pull_request",
    pullRequestPayload(ctx.world, repo, pull, details, action, sender, extra),
  );
}

/** `owner:branch` or `branch` → the branch, when it names this repository's owner. */
function headBranch(repo: Repo, head: string): string | null {
  const colon = head.indexOf(":");
  if (colon < 0) return head;
  return head.slice(0, colon).toLowerCase() === repo.owner.login.toLowerCase()
    ? head.slice(colon + 1)
    : null;
}

async function createPull(request: RestRequest): Promise<{ repo: Repo; pull: Pull }> {
  const { repo } = requireRepo(request, { scope: "pull_requests", level: "write" });
  const { world } = request.ctx;
  const body = request.body as {
    title?: string;
    head: string;
    base: string;
    body?: string;
    draft?: boolean;
    maintainer_can_modify?: boolean;
  };
  if (!body.title)
    validationFailed([{ resource: "PullRequest", code: "missing_field", field: "title" }]);
  const head = headBranch(repo, body.head);
  const headSha = head ? await branchSha(repo.dir, head) : null;
  const baseSha = await branchSha(repo.dir, body.base);
  if (!baseSha) validationFailed([{ resource: "PullRequest", code: "invalid", field: "base" }]);
  if (!head || !headSha)
    validationFailed([{ resource: "PullRequest", code: "invalid", field: "head" }]);
  const ahead = await git(repo.dir, ["rev-list", "--count", `${baseSha}..${headSha}`]);
  if (ahead.stdout.trim() === "0")
    validationFailed([
      {
        resource: "PullRequest",
        code: "custom",
        message: `No commits between ${body.base} and ${head}`,
      },
    ]);
  // Checked after the last await, so two requests at once cannot both pass it.
  if (
    repo.pulls.some(
      (pull) => pull.state === "open" && pull.headRef === head && pull.baseRef === body.base,
    )
  )
    validationFailed([
      {
        resource: "PullRequest",
        code: "custom",
        message: `A pull request already exists for ${repo.owner.login}:${head}.`,
      },
    ]);
  const id = world.nextId();
  const now = timestamp(world);
  const pull: Pull = {
    id,
    nodeId: nodeId("PullRequest", id),
    number: Math.max(0, ...repo.pulls.map((existing) => existing.number)) + 1,
    title: body.title,
    body: body.body ?? null,
    user: actingAccount(request),
    headRef: head,
    baseRef: body.base,
    headSha,
    baseSha,
    state: "open",
    draft: body.draft ?? false,
    maintainerCanModify: body.maintainer_can_modify ?? true,
    merged: false,
    mergedAt: null,
    mergedBy: null,
    mergeCommitSha: null,
    createdAt: now,
    updatedAt: now,
    closedAt: null,
    reviews: [],
  };
  repo.pulls.push(pull);
  await announcePull(request.ctx, repo, pull, "opened", pull.user);
  return { repo, pull };
}

const SORTS: Record<string, (pull: Pull) => string> = {
  created: (pull) => pull.createdAt,
  updated: (pull) => pull.updatedAt,
  popularity: (pull) => pull.createdAt,
  "long-running": (pull) => pull.createdAt,
};

/** Open, list, read and edit pull requests. */
export const pullRoutes: RestRoute[] = [
  {
    method: "POST",
    path: "/repos/{owner}/{repo}/pulls",
    async handle(request) {
      const { repo, pull } = await createPull(request);
      const body = pullRequest(request.ctx.world, repo, pull, await pullDetails(repo, pull));
      return { status: 201, body, headers: { location: body.url } };
    },
  },
  {
    method: "GET",
    path: "/repos/{owner}/{repo}/pulls",
    async handle(request) {
      const { repo } = requireRepo(request, { scope: "pull_requests", level: "read" });
      const state = request.query.get("state") ?? "open";
      const head = request.query.get("head");
      const base = request.query.get("base");
      const key = SORTS[request.query.get("sort") ?? "created"] ?? SORTS.created!;
      const ascending = request.query.get("direction") === "asc";
      const chosen = repo.pulls
        .filter((pull) => state === "all" || pull.state === state)
        .filter(
          (pull) =>
            !head ||
            `${repo.owner.login}:${pull.headRef}`.toLowerCase() === head.toLowerCase() ||
            pull.headRef === head,
        )
        .filter((pull) => !base || pull.baseRef === base)
        .sort(
          (a, b) => (ascending ? 1 : -1) * (key(a).localeCompare(key(b)) || a.number - b.number),
        );
      for (const pull of chosen) await pullDetails(repo, pull);
      const page = paginate(chosen, request.url);
      return {
        status: 200,
        body: page.items.map((pull) => pullRequestSimple(request.ctx.world, repo, pull)),
        headers: page.headers,
      };
    },
  },
  {
    method: "GET",
    path: "/repos/{owner}/{repo}/pulls/{pull_number}",
    async handle(request) {
      const { repo } = requireRepo(request, { scope: "pull_requests", level: "read" });
      const pull = requirePull(request, repo);
      return {
        status: 200,
        body: pullRequest(request.ctx.world, repo, pull, await pullDetails(repo, pull)),
      };
    },
  },
  {
    method: "PATCH",
    path: "/repos/{owner}/{repo}/pulls/{pull_number}",
    async handle(request) {
      const { repo } = requireRepo(request, { scope: "pull_requests", level: "write" });
      const pull = requirePull(request, repo);
      const { world } = request.ctx;
      const body = (request.body ?? {}) as {
        title?: string;
        body?: string;
        state?: "open" | "closed";
        base?: string;
        maintainer_can_modify?: boolean;
      };
      const changes: Record<string, unknown> = {};
      if (body.base !== undefined && body.base !== pull.baseRef) {
        if (pull.state !== "open")
          fail(422, "Cannot change the base branch of a closed pull request.");
        const baseSha = await branchSha(repo.dir, body.base);
        if (!baseSha)
          validationFailed([{ resource: "PullRequest", code: "invalid", field: "base" }]);
        changes.base = { ref: { from: pull.baseRef }, sha: { from: pull.baseSha } };
        pull.baseRef = body.base;
        pull.baseSha = baseSha;
      }
      if (body.title !== undefined && body.title !== pull.title) {
        changes.title = { from: pull.title };
        pull.title = body.title;
      }
      if (body.body !== undefined && body.body !== pull.body) {
        changes.body = { from: pull.body ?? "" };
        pull.body = body.body;
      }
      if (body.maintainer_can_modify !== undefined)
        pull.maintainerCanModify = body.maintainer_can_modify;
      const sender = actingAccount(request);
      let action: "closed" | "reopened" | "edited" = "edited";
      if (body.state === "closed" && pull.state === "open") {
        await pullDetails(repo, pull);
        Object.assign(pull, { state: "closed", closedAt: timestamp(world) });
        action = "closed";
      } else if (body.state === "open" && pull.state === "closed") {
        if (pull.merged) fail(422, "Cannot reopen a merged pull request.");
        if (!(await branchSha(repo.dir, pull.headRef)))
          validationFailed([
            {
              resource: "PullRequest",
              code: "custom",
              message: "state cannot be changed. The head branch was deleted.",
            },
          ]);
        Object.assign(pull, { state: "open", closedAt: null });
        action = "reopened";
      }
      pull.updatedAt = timestamp(world);
      if (action !== "edited") await announcePull(request.ctx, repo, pull, action, sender);
      if (Object.keys(changes).length > 0)
        await announcePull(request.ctx, repo, pull, "edited", sender, { changes });
      return { status: 200, body: pullRequest(world, repo, pull, await pullDetails(repo, pull)) };
    },
  },
];
