// The control API under `/_stand-in/`: what a test in another process (the Worker under test,
// `npm run dev`) uses to seed, steer and inspect the stand-in. JSON in and out, bodies checked with
// zod; errors are `{ error: { code, message } }`.
import type { IncomingMessage, ServerResponse } from "node:http";
import { z } from "zod";
import type { StandInContext } from "./context.ts";
import { FaultError, setFault } from "./faults.ts";
import { parseJson, readBody, sendJson } from "../support/http.ts";
import {
  addInstallation,
  addRepo,
  addUser,
  AdminError,
  removeRepo,
  setCollaborator,
} from "./state/admin.ts";
import { findAccount } from "./state/world.ts";
import type { StandInSummary } from "./summary.ts";

const PERMISSION = z.enum(["admin", "maintain", "push", "triage", "pull"]);
const NAME = z
  .string()
  .regex(/^[A-Za-z0-9._-]+$/, "letters, digits, '.', '_' and '-' only")
  .min(1)
  .max(100);
const LOGIN = z
  .string()
  .regex(/^[A-Za-z0-9-]+$/, "letters, digits and '-' only")
  .min(1)
  .max(39);

const UserBody = z.strictObject({
  login: LOGIN,
  id: z.number().int().positive().optional(),
  name: z.string().nullable().optional(),
  email: z.string().nullable().optional(),
});
const RepoBody = z.strictObject({
  owner: LOGIN,
  name: NAME,
  defaultBranch: z.string().min(1).optional(),
  private: z.boolean().optional(),
  collaborators: z.array(z.strictObject({ login: LOGIN, permission: PERMISSION })).optional(),
  from: z.string().min(1).optional(),
  demo: z.boolean().optional(),
});
const InstallationBody = z.strictObject({
  account: LOGIN,
  repositories: z.union([z.literal("all"), z.array(NAME)]).optional(),
});
const WebhookBody = z.strictObject({ url: z.url().nullable() });
const CollaboratorBody = z.strictObject({ permission: PERMISSION });
const ClockBody = z.strictObject({ advanceSeconds: z.number().positive() });
const FaultBody = z.strictObject({
  operation: z.string().min(1).max(200),
  status: z.number().int().min(500).max(599),
  times: z.number().int().min(0).max(1_000),
  repo: z
    .string()
    .regex(/^[A-Za-z0-9-]+\/[A-Za-z0-9._-]+$/, "owner/name")
    .optional(),
});
const ExpireBody = z.strictObject({
  login: LOGIN.optional(),
  refreshTokens: z.boolean().optional(),
});
const IssueBody = z.strictObject({ login: LOGIN });

class ControlError extends Error {
  readonly status: number;
  readonly code: string;
  constructor(status: number, code: string, message: string) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

async function bodyOf<T>(req: IncomingMessage, schema: z.ZodType<T>): Promise<T> {
  const raw = ((await readBody(req, 1024 * 1024)) ?? Buffer.alloc(0)).toString("utf8");
  const parsed = parseJson(raw || "{}");
  if (!parsed.ok)
    throw new ControlError(400, "invalid_input", `the body is not JSON: ${parsed.message}`);
  const checked = schema.safeParse(parsed.value);
  if (!checked.success)
    throw new ControlError(
      400,
      "invalid_input",
      checked.error.issues
        .map((issue) => `${issue.path.join(".") || "(body)"}: ${issue.message}`)
        .join("; "),
    );
  return checked.data;
}

/** What the control API reads besides the context. */
export interface ControlDeps {
  summary: () => StandInSummary;
  /** The operation ids of GitHub's description that the stand-in serves. */
  restOperations: ReadonlySet<string>;
}

/** Answers one control request. */
export async function serveControl(
  ctx: StandInContext,
  { summary, restOperations }: ControlDeps,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
): Promise<void> {
  const route = `${req.method} ${url.pathname.slice("/_stand-in".length)}`;
  const noContent = () => {
    res.writeHead(204).end();
  };
  try {
    let match: RegExpExecArray | null;
    if (route === "GET /info") return sendJson(res, 200, summary());
    if (route === "POST /users") {
      const user = addUser(ctx, await bodyOf(req, UserBody));
      return sendJson(res, 201, {
        login: user.login,
        id: user.id,
        name: user.name,
        email: user.email,
      });
    }
    if (route === "POST /repos") {
      const repo = await addRepo(ctx, await bodyOf(req, RepoBody));
      return sendJson(
        res,
        201,
        summary().repos.find((entry) => entry.id === repo.id),
      );
    }
    if ((match = /^DELETE \/repos\/([^/]+)\/([^/]+)$/.exec(route))) {
      await removeRepo(ctx, decodeURIComponent(match[1]!), decodeURIComponent(match[2]!));
      return noContent();
    }
    if ((match = /^(PUT|DELETE) \/repos\/([^/]+)\/([^/]+)\/collaborators\/([^/]+)$/.exec(route))) {
      const permission =
        match[1] === "PUT" ? (await bodyOf(req, CollaboratorBody)).permission : null;
      setCollaborator(ctx, match[2]!, match[3]!, match[4]!, permission);
      return noContent();
    }
    if (route === "POST /installations") {
      const installation = addInstallation(ctx, await bodyOf(req, InstallationBody));
      return sendJson(
        res,
        201,
        summary().installations.find((entry) => entry.id === installation.id),
      );
    }
    if (route === "PUT /webhook") {
      const { url: next } = await bodyOf(req, WebhookBody);
      ctx.deliveries.setUrl(next);
      return sendJson(res, 200, { url: next });
    }
    if (route === "GET /requests") {
      const operation = url.searchParams.get("operation");
      const requests = ctx.records
        .requests()
        .filter((entry) => !operation || entry.operation === operation);
      return sendJson(res, 200, { requests });
    }
    if (route === "DELETE /requests") {
      ctx.records.clearRequests();
      return noContent();
    }
    if (route === "GET /deliveries") {
      if (url.searchParams.get("wait") === "true") await ctx.deliveries.idle();
      const event = url.searchParams.get("event");
      const deliveries = ctx.deliveries.list().filter((entry) => !event || entry.event === event);
      return sendJson(res, 200, { deliveries });
    }
    if (route === "DELETE /deliveries") {
      ctx.deliveries.clear();
      return noContent();
    }
    if ((match = /^POST \/deliveries\/([^/]+)\/redeliver$/.exec(route))) {
      const guid = decodeURIComponent(match[1]!);
      if (!ctx.deliveries.list().some((entry) => entry.guid === guid))
        throw new ControlError(404, "not_found", `no delivery ${guid}`);
      const delivery = ctx.deliveries.redeliver(guid);
      if (url.searchParams.get("wait") === "true") await ctx.deliveries.idle();
      return sendJson(
        res,
        202,
        ctx.deliveries.list().find((entry) => entry.seq === delivery.seq),
      );
    }
    if (route === "GET /violations")
      return sendJson(res, 200, { violations: ctx.records.violations() });
    if (route === "DELETE /violations") {
      ctx.records.clearViolations();
      return noContent();
    }
    if (route === "POST /faults") {
      const fault = await bodyOf(req, FaultBody);
      try {
        setFault(ctx, restOperations, fault);
      } catch (error) {
        if (error instanceof FaultError)
          throw new ControlError(400, "invalid_input", `operation: ${error.message}`);
        throw error;
      }
      const { operation, status, times, repo } = fault;
      return sendJson(res, 200, { operation, status, left: times, repo: repo ?? null });
    }
    if (route === "POST /clock") {
      ctx.world.clock.advance((await bodyOf(req, ClockBody)).advanceSeconds);
      return sendJson(res, 200, { now: new Date(ctx.world.clock.nowMs()).toISOString() });
    }
    if (route === "POST /tokens/expire") {
      const { login, refreshTokens } = await bodyOf(req, ExpireBody);
      return sendJson(res, 200, {
        expired: ctx.tokens.expireUserTokens(login, refreshTokens ?? false),
      });
    }
    if (route === "POST /tokens/user") {
      const { login } = await bodyOf(req, IssueBody);
      const account = findAccount(ctx.world, login);
      if (!account) throw new ControlError(404, "not_found", `no user ${login}`);
      const pair = ctx.tokens.issueUser(account.login);
      return sendJson(res, 201, {
        access_token: pair.accessToken,
        expires_in: pair.expiresIn,
        refresh_token: pair.refreshToken,
        refresh_token_expires_in: pair.refreshTokenExpiresIn,
        token_type: "bearer",
        scope: "",
      });
    }
    throw new ControlError(404, "not_found", `no control route ${req.method} ${url.pathname}`);
  } catch (error) {
    if (error instanceof ControlError || error instanceof AdminError) {
      const status =
        error instanceof ControlError ? error.status : error.code === "not_found" ? 404 : 400;
      return sendJson(res, status, { error: { code: error.code, message: error.message } });
    }
    throw error;
  }
}
