// The signed-in user: `GET /user`, their emails, and the App installations they can reach.
import { installation } from "../shapes/app.ts";
import { repository } from "../shapes/repository.ts";
import { privateUser } from "../shapes/user.ts";
import { repoAccess } from "../state/access.ts";
import {
  installationRepos,
  roleOf,
  type Account,
  type Installation,
  type Repo,
} from "../state/world.ts";
import { paginate } from "./paginate.ts";
import { fail, requireUser, type RestRequest, type RestRoute } from "./route.ts";

/** The repositories of an installation that the request's user can reach. */
function reachable(request: RestRequest, found: Installation): Repo[] {
  return installationRepos(request.ctx.world, found).filter(
    (repo) =>
      repoAccess(request.ctx.world, request.caller, repo, { scope: "metadata", level: "read" }).ok,
  );
}

function userInstallations(request: RestRequest): Installation[] {
  return request.ctx.world.installations.filter((found) => reachable(request, found).length > 0);
}

function ownedRepoCounts(request: RestRequest, user: Account) {
  const owned = [...request.ctx.world.repos.values()].filter((repo) => repo.owner.id === user.id);
  return {
    public: owned.filter((repo) => !repo.private).length,
    private: owned.filter((repo) => repo.private).length,
  };
}

/** The user token's own endpoints. */
export const userRoutes: RestRoute[] = [
  {
    method: "GET",
    path: "/user",
    async handle(request) {
      const user = requireUser(request);
      return {
        status: 200,
        body: privateUser(request.ctx.world, user, ownedRepoCounts(request, user)),
      };
    },
  },
  {
    method: "GET",
    path: "/user/emails",
    async handle(request) {
      const user = requireUser(request);
      const emails = user.email
        ? [{ email: user.email, primary: true, verified: true, visibility: "private" }]
        : [];
      const page = paginate(emails, request.url);
      return { status: 200, body: page.items, headers: page.headers };
    },
  },
  {
    method: "GET",
    path: "/user/installations",
    async handle(request) {
      requireUser(request);
      const all = userInstallations(request);
      const page = paginate(all, request.url);
      return {
        status: 200,
        body: {
          total_count: all.length,
          installations: page.items.map((found) => installation(request.ctx.world, found)),
        },
        headers: page.headers,
      };
    },
  },
  {
    method: "GET",
    path: "/user/installations/{installation_id}/repositories",
    async handle(request) {
      const user = requireUser(request);
      const found = userInstallations(request).find(
        (candidate) => String(candidate.id) === request.params.installation_id,
      );
      if (!found) fail(404, "Not Found");
      const repos = reachable(request, found);
      const page = paginate(repos, request.url);
      return {
        status: 200,
        body: {
          total_count: repos.length,
          repository_selection: found.selection,
          repositories: page.items.map((repo) =>
            repository(request.ctx.world, repo, roleOf(repo, user.login)),
          ),
        },
        headers: page.headers,
      };
    },
  },
];
