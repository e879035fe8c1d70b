// The App's own endpoints (with its JWT) and the installation token's repository list.
import { installation, integration } from "../shapes/app.ts";
import { repository } from "../shapes/repository.ts";
import {
  findRepo,
  installationFor,
  installationRepos,
  isoSeconds,
  type AccessLevel,
  type Repo,
} from "../state/world.ts";
import { paginate } from "./paginate.ts";
import {
  fail,
  requireApp,
  requireInstallation,
  validationFailed,
  type RestRoute,
} from "./route.ts";

const LEVELS: Record<string, number> = { read: 1, write: 2, admin: 3 };

/** The App's JWT endpoints and the installation token's repository list. */
export const appRoutes: RestRoute[] = [
  {
    method: "GET",
    path: "/app",
    async handle(request) {
      requireApp(request);
      return { status: 200, body: integration(request.ctx.world) };
    },
  },
  {
    method: "GET",
    path: "/app/installations",
    async handle(request) {
      requireApp(request);
      const page = paginate(request.ctx.world.installations, request.url);
      return {
        status: 200,
        body: page.items.map((found) => installation(request.ctx.world, found)),
        headers: page.headers,
      };
    },
  },
  {
    method: "GET",
    path: "/repos/{owner}/{repo}/installation",
    async handle(request) {
      requireApp(request);
      const repo = findRepo(request.ctx.world, request.params.owner!, request.params.repo!);
      const found = repo ? installationFor(request.ctx.world, repo) : undefined;
      if (!found) fail(404, "Not Found");
      return { status: 200, body: installation(request.ctx.world, found) };
    },
  },
  {
    method: "POST",
    path: "/app/installations/{installation_id}/access_tokens",
    async handle(request) {
      requireApp(request);
      const { world, tokens } = request.ctx;
      const found = world.installations.find(
        (candidate) => String(candidate.id) === request.params.installation_id,
      );
      if (!found) fail(404, "Not Found");
      const body = (request.body ?? {}) as {
        repositories?: string[];
        repository_ids?: number[];
        permissions?: Record<string, string>;
      };
      const covered = installationRepos(world, found);
      let chosen: Repo[] | null = null;
      if (body.repositories || body.repository_ids) {
        const byName = (body.repositories ?? []).map((name) =>
          findRepo(world, found.account.login, name),
        );
        const byId = (body.repository_ids ?? []).map((id) =>
          covered.find((repo) => repo.id === id),
        );
        const all = [...byName, ...byId];
        if (all.some((repo) => !repo || !covered.includes(repo)))
          fail(
            422,
            "There is at least one repository that does not exist or is not accessible to the parent installation.",
          );
        chosen = [...new Set(all as Repo[])];
      }
      const permissions: Record<string, AccessLevel> = { ...world.app.permissions };
      if (body.permissions) {
        for (const [scope, level] of Object.entries(body.permissions)) {
          const granted =
            world.app.permissions[scope] ?? (scope === "metadata" ? "read" : undefined);
          if (!granted || (LEVELS[level] ?? 9) > (LEVELS[granted] ?? 0))
            fail(422, "The permissions requested are not granted to this installation.");
        }
        for (const scope of Object.keys(permissions))
          if (!(scope in body.permissions)) delete permissions[scope];
        Object.assign(permissions, body.permissions as Record<string, AccessLevel>);
      }
      if (Object.keys(permissions).length === 0)
        validationFailed([{ resource: "Installation", code: "invalid", field: "permissions" }]);
      const issued = tokens.issueInstallation({
        installationId: found.id,
        repoIds: chosen ? new Set(chosen.map((repo) => repo.id)) : null,
        permissions,
      });
      return {
        status: 201,
        body: {
          token: issued.token,
          expires_at: isoSeconds(issued.expiresAtMs),
          permissions,
          repository_selection: chosen ? "selected" : found.selection,
          ...(chosen ? { repositories: chosen.map((repo) => repository(world, repo)) } : {}),
        },
      };
    },
  },
  {
    method: "GET",
    path: "/installation/repositories",
    async handle(request) {
      const found = requireInstallation(request);
      const grant = request.caller.grant;
      const narrowed = grant?.kind === "installation" ? grant.repoIds : null;
      const repos = installationRepos(request.ctx.world, found).filter(
        (repo) => !narrowed || narrowed.has(repo.id),
      );
      const page = paginate(repos, request.url);
      return {
        status: 200,
        body: {
          total_count: repos.length,
          repository_selection: narrowed ? "selected" : found.selection,
          repositories: page.items.map((repo) => repository(request.ctx.world, repo)),
        },
        headers: page.headers,
      };
    },
  },
];
