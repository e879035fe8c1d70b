// A repository and its branches: `GET /repos/{owner}/{repo}`, a branch, and a branch's ref.
import { branchSha, commitInfo } from "../git/commands.ts";
import { branchObject, gitRefObject } from "../shapes/git-objects.ts";
import { fullRepository } from "../shapes/repository.ts";
import { fail, requireRepo, type RestRoute } from "./route.ts";

/** A repository, its branches and their refs. */
export const repoRoutes: RestRoute[] = [
  {
    method: "GET",
    path: "/repos/{owner}/{repo}",
    async handle(request) {
      const { repo, role } = requireRepo(request, { scope: "metadata", level: "read" });
      const showRole = request.caller.identity.kind === "user" ? role : null;
      return { status: 200, body: fullRepository(request.ctx.world, repo, showRole) };
    },
  },
  {
    method: "GET",
    path: "/repos/{owner}/{repo}/branches/{branch}",
    async handle(request) {
      const { repo } = requireRepo(request, { scope: "contents", level: "read" });
      const name = request.params.branch!;
      const sha = await branchSha(repo.dir, name);
      if (!sha) fail(404, "Branch not found");
      return {
        status: 200,
        body: branchObject(request.ctx.world, repo, name, await commitInfo(repo.dir, sha)),
      };
    },
  },
  {
    method: "GET",
    path: "/repos/{owner}/{repo}/git/ref/{ref}",
    async handle(request) {
      const { repo } = requireRepo(request, { scope: "contents", level: "read" });
      const ref = request.params.ref!;
      // Branches only: tags and other refs are not kept by the stand-in's REST side.
      const sha = ref.startsWith("heads/")
        ? await branchSha(repo.dir, ref.slice("heads/".length))
        : null;
      if (!sha) fail(404, "Not Found");
      return { status: 200, body: gitRefObject(request.ctx.world, repo, `refs/${ref}`, sha) };
    },
  },
];
