// The shape of a REST route and the errors routes raise, with the guards most routes start with.
import type { Caller } from "../auth/caller.ts";
import type { StandInContext } from "../context.ts";
import { repoAccess, type Need } from "../state/access.ts";
import {
  findAccount,
  findRepo,
  type Account,
  type Installation,
  type Permission,
  type Repo,
} from "../state/world.ts";

/** A request as a route sees it: credentials checked, the body parsed. */
export interface RestRequest {
  ctx: StandInContext;
  caller: Caller;
  params: Record<string, string>;
  query: URLSearchParams;
  /** The parsed JSON body; undefined when there was none. */
  body: unknown;
  /** The request URL (for pagination links). */
  url: URL;
}

/** A route's answer; the body is sent as JSON, undefined sends none. */
export interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

/** One operation of GitHub's description and what answers it. */
export interface RestRoute {
  method: "GET" | "POST" | "PATCH" | "PUT" | "DELETE";
  /** The path exactly as the description writes it. */
  path: string;
  handle(request: RestRequest): Promise<Reply>;
}

/** One entry of a 422's `errors`. */
export interface FieldError {
  resource: string;
  code: string;
  field?: string;
  message?: string;
}

/** A refusal in GitHub's `{ message, documentation_url, status }` shape. */
export class GitHubApiError extends Error {
  readonly status: number;
  /** 422 details: field errors, or plain messages for the operations that answer those. */
  readonly errors: FieldError[] | string[] | undefined;
  constructor(status: number, message: string, errors?: FieldError[] | string[]) {
    super(message);
    this.status = status;
    this.errors = errors;
  }
}

/** Raises a refusal. */
export function fail(status: number, message: string, errors?: FieldError[] | string[]): never {
  throw new GitHubApiError(status, message, errors);
}

/** Raises GitHub's 422 "Validation Failed". */
export function validationFailed(errors: FieldError[]): never {
  throw new GitHubApiError(422, "Validation Failed", errors);
}

/** The user of a user-to-server token; anything else is refused. */
export function requireUser(request: RestRequest): Account {
  const { identity } = request.caller;
  if (identity.kind === "none") fail(401, "Requires authentication");
  if (identity.kind !== "user") fail(403, "Resource not accessible by integration");
  return findAccount(request.ctx.world, identity.login) ?? fail(401, "Bad credentials");
}

/** Only the App's JWT may call App endpoints. */
export function requireApp(request: RestRequest): void {
  const { identity } = request.caller;
  if (identity.kind === "none") fail(401, "Requires authentication");
  if (identity.kind !== "app")
    fail(401, "A JSON web token could not be decoded (this endpoint needs the App's JWT)");
}

/** The installation of an installation token. */
export function requireInstallation(request: RestRequest): Installation {
  const { identity } = request.caller;
  if (identity.kind === "none") fail(401, "Requires authentication");
  if (identity.kind !== "installation") fail(403, "Resource not accessible by integration");
  return (
    request.ctx.world.installations.find((found) => found.id === identity.installationId) ??
    fail(401, "Bad credentials")
  );
}

/** The repository of the path's `owner` and `repo`, when the caller may act on it as `need` says. */
export function requireRepo(
  request: RestRequest,
  need: Need,
): { repo: Repo; role: Permission | null } {
  const repo = findRepo(request.ctx.world, request.params.owner ?? "", request.params.repo ?? "");
  if (!repo) fail(404, "Not Found");
  const access = repoAccess(request.ctx.world, request.caller, repo, need);
  if (!access.ok) fail(access.status, access.message);
  return { repo, role: access.role };
}

/** The account a request acts as, for authorship: the user, or the App's bot. */
export function actingAccount(request: RestRequest): Account {
  const { identity } = request.caller;
  if (identity.kind === "user") return requireUser(request);
  return request.ctx.world.app.bot;
}
