// Who may do what to a repository. A user-to-server token reaches only repositories that both the
// user and an installation of the App reach, with the lesser of their permissions; an installation
// token reaches its installation's repositories (or the few it was narrowed to).
import type { Caller } from "../auth/caller.ts";
import {
  findAccount,
  installationFor,
  permits,
  roleOf,
  type AccessLevel,
  type Permission,
  type Repo,
  type World,
} from "./world.ts";

/** The App permission an action needs: `contents: write` to push or merge, and so on. */
export interface Need {
  scope: "contents" | "pull_requests" | "metadata";
  level: AccessLevel;
}

/** The verdict: allowed (with the user's role, for user tokens), or GitHub's refusal. */
export type Access =
  { ok: true; role: Permission | null } | { ok: false; status: 401 | 403 | 404; message: string };

const levelPermits = (have: AccessLevel | undefined, need: AccessLevel): boolean =>
  have === "write" || (have === "read" && need === "read");

/** The App permissions of a token: the App's own, or an installation token's narrowed ones. */
function grantedLevel(world: World, caller: Caller, scope: Need["scope"]): AccessLevel | undefined {
  const permissions =
    caller.grant?.kind === "installation" ? caller.grant.permissions : world.app.permissions;
  return permissions[scope] ?? (scope === "metadata" ? "read" : undefined);
}

const NOT_FOUND = { ok: false, status: 404, message: "Not Found" } as const;
const NOT_BY_INTEGRATION = {
  ok: false,
  status: 403,
  message: "Resource not accessible by integration",
} as const;

/** Whether `caller` may act on `repo` as `need` says. */
export function repoAccess(world: World, caller: Caller, repo: Repo, need: Need): Access {
  const { identity } = caller;
  switch (identity.kind) {
    case "none":
      if (repo.private) return NOT_FOUND;
      return need.level === "read"
        ? { ok: true, role: null }
        : { ok: false, status: 401, message: "Requires authentication" };
    case "app":
      return {
        ok: false,
        status: 403,
        message: "A JSON web token cannot act on a repository; use an installation access token",
      };
    case "installation": {
      const installation = installationFor(world, repo);
      const narrowed = caller.grant?.kind === "installation" ? caller.grant.repoIds : null;
      if (installation?.id !== identity.installationId || (narrowed && !narrowed.has(repo.id)))
        return NOT_FOUND;
      if (!levelPermits(grantedLevel(world, caller, need.scope), need.level))
        return NOT_BY_INTEGRATION;
      return { ok: true, role: null };
    }
    case "user": {
      const user = findAccount(world, identity.login);
      const role = user ? (roleOf(repo, user.login) ?? (repo.private ? null : "pull")) : null;
      if (!role || !installationFor(world, repo)) return NOT_FOUND;
      if (!levelPermits(grantedLevel(world, caller, need.scope), need.level))
        return NOT_BY_INTEGRATION;
      if (need.level === "write" && !permits(role, "push"))
        return { ok: false, status: 403, message: "Must have push access to repository" };
      return { ok: true, role };
    }
    default:
      return identity satisfies never;
  }
}

/** The `permissions` object of a repository as a user sees it. */
export function permissionFlags(
  role: Permission,
): Record<"admin" | "maintain" | "push" | "triage" | "pull", boolean> {
  return {
    admin: permits(role, "admin"),
    maintain: permits(role, "maintain"),
    push: permits(role, "push"),
    triage: permits(role, "triage"),
    pull: true,
  };
}
