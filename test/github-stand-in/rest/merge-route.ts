// `PUT …/pulls/{pull_number}/merge`: a real merge (or squash) commit on the base branch, then the
// `pull_request` closed event (merged) and the base branch's `push` event.
import { commitTree, listRefs, mergeTree, moveBranch } from "../git/commands.ts";
import { announceRefChanges } from "../git/ref-changes.ts";
import { refreshPull } from "../pulls/pull-details.ts";
import { commitIdentity } from "../shapes/user.ts";
import { timestamp } from "../state/world.ts";
import { announcePull, requirePull } from "./pull-routes.ts";
import { actingAccount, fail, requireRepo, type RestRoute } from "./route.ts";

/** Merges an open pull request. */
export const mergeRoute: RestRoute = {
  method: "PUT",
  path: "/repos/{owner}/{repo}/pulls/{pull_number}/merge",
  async handle(request) {
    const { repo } = requireRepo(request, { scope: "contents", level: "write" });
    const pull = requirePull(request, repo);
    const { ctx } = request;
    const body = (request.body ?? {}) as {
      commit_title?: string;
      commit_message?: string;
      sha?: string;
      merge_method?: "merge" | "squash" | "rebase";
    };
    const method = body.merge_method ?? "merge";
    if (method === "rebase") fail(405, "Rebase merges are not allowed on this repository.");
    const merger = actingAccount(request);
    return ctx.withRepoLock(repo, async () => {
      await refreshPull(repo, pull);
      if (pull.state !== "open") fail(405, "Pull Request is not mergeable");
      if (body.sha && body.sha !== pull.headSha)
        fail(409, "Head branch was modified. Review and try the merge again.");
      const tree = await mergeTree(repo.dir, pull.baseSha, pull.headSha);
      if (!tree) fail(405, "Pull Request is not mergeable");
      const title =
        body.commit_title ??
        (method === "squash"
          ? `${pull.title} (#${pull.number})`
          : `Merge pull request #${pull.number} from ${repo.owner.login}/${pull.headRef}`);
      const detail = body.commit_message ?? (method === "squash" ? "" : pull.title);
      const message = detail ? `${title}\n\n${detail}` : title;
      const parents = method === "squash" ? [pull.baseSha] : [pull.baseSha, pull.headSha];
      const person = { ...commitIdentity(merger), date: timestamp(ctx.world) };
      const before = await listRefs(repo.dir);
      const sha = await commitTree(repo.dir, tree, parents, message, person);
      if (!(await moveBranch(repo.dir, pull.baseRef, sha, pull.baseSha)))
        fail(409, "Base branch was modified. Review and try the merge again.");
      const now = timestamp(ctx.world);
      Object.assign(pull, {
        state: "closed",
        merged: true,
        mergedAt: now,
        mergedBy: merger,
        mergeCommitSha: sha,
        closedAt: now,
        updatedAt: now,
      });
      await announcePull(ctx, repo, pull, "closed", merger);
      await announceRefChanges(ctx, repo, before, await listRefs(repo.dir), merger);
      return {
        status: 200,
        body: { sha, merged: true, message: "Pull Request successfully merged" },
      };
    });
  },
};
