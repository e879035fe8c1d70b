// Serves the REST routes: matches the path against the description's operations, checks the
// credential, checks the request and the response against GitHub's description (a mismatch is a
// recorded violation answered with 500), and records the request with its caller.
import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { restCaller } from "../auth/caller.ts";
import { MAX_BODY_BYTES, type StandInContext } from "../context.ts";
import type { Operation } from "../description/validator.ts";
import { takeFault } from "../faults.ts";
import { parseJson, readBody, sendJson } from "../../support/http.ts";
import { GitHubApiError, type Reply, type RestRoute } from "./route.ts";

/** A route with its operation from the description. */
export interface CompiledRoute {
  route: RestRoute;
  operation: Operation;
}

/** The docs root GitHub names in errors that are about no one operation. */
export const DOCS_ROOT = "https://docs.github.com/rest";

/** An error body in GitHub's shape. */
export function errorBody(status: number, message: string, docsUrl: string, errors?: unknown[]) {
  return {
    message,
    documentation_url: docsUrl,
    status: String(status),
    ...(errors ? { errors } : {}),
  };
}

/** Looks each route's operation up in the description; a route the description lacks throws. */
export function compileRoutes(ctx: StandInContext, routes: RestRoute[]): CompiledRoute[] {
  return routes.map((route) => ({
    route,
    operation: ctx.description.operation(route.method, route.path),
  }));
}

function find(routes: CompiledRoute[], method: string, pathname: string) {
  for (const compiled of routes) {
    if (compiled.route.method !== method) continue;
    const match = compiled.operation.pattern.exec(pathname);
    if (!match) continue;
    const params: Record<string, string> = {};
    compiled.operation.paramNames.forEach((name, index) => {
      params[name] = decodeURIComponent(match[index + 1]!);
    });
    return { compiled, params };
  }
  return null;
}

/** Serves a REST request; false when no route matches (the caller answers 404). */
export async function serveRest(
  ctx: StandInContext,
  routes: CompiledRoute[],
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
): Promise<boolean> {
  const method = req.method ?? "GET";
  const found = find(routes, method, url.pathname);
  if (!found) return false;
  const { compiled, params } = found;
  const { operation } = compiled;
  const where = `${method} ${operation.specPath} (${operation.operationId})`;
  const caller = restCaller(ctx.world, ctx.tokens, req.headers.authorization);
  const raw = (await readBody(req, MAX_BODY_BYTES)) ?? Buffer.alloc(0);
  const parsed =
    raw.length > 0 ? parseJson(raw.toString("utf8")) : { ok: true as const, value: undefined };
  const record = ctx.records.start({
    surface: "rest",
    method,
    path: url.pathname + url.search,
    operation: operation.operationId,
    identity: caller.identity,
    tokenKind: caller.tokenKind,
    body: parsed.ok ? (parsed.value ?? null) : raw.toString("utf8"),
    receivedAt: Date.now(),
  });

  let reply: Reply;
  if (!parsed.ok) {
    reply = { status: 400, body: errorBody(400, "Problems parsing JSON", operation.docsUrl) };
  } else if (caller.refused) {
    reply = { status: 401, body: errorBody(401, "Bad credentials", DOCS_ROOT) };
  } else {
    const problems = ctx.description.checkRequest(operation, {
      params,
      query: url.searchParams,
      body: parsed.value,
    });
    const repo = params.owner && params.repo ? `${params.owner}/${params.repo}` : null;
    const faultStatus = problems.length > 0 ? null : takeFault(ctx, operation.operationId, repo);
    if (problems.length > 0) {
      ctx.records.violation("request", where, problems);
      reply = mismatch("the request does not", problems, operation.docsUrl);
    } else if (faultStatus !== null) {
      // A failure a test asked for: GitHub's side breaking, answered like GitHub answers one.
      reply = {
        status: faultStatus,
        body: errorBody(faultStatus, "GitHub stand-in: injected failure", DOCS_ROOT),
      };
    } else {
      try {
        reply = await compiled.route.handle({
          ctx,
          caller,
          params,
          query: url.searchParams,
          body: parsed.value,
          url: new URL(url.pathname + url.search, ctx.world.baseUrl),
        });
      } catch (error) {
        if (!(error instanceof GitHubApiError)) throw error;
        const docs = error.status === 401 ? DOCS_ROOT : operation.docsUrl;
        reply = {
          status: error.status,
          body: errorBody(error.status, error.message, docs, error.errors),
        };
      }
      const responseProblems = ctx.description.checkResponse(operation, reply.status, reply.body);
      if (responseProblems.length > 0) {
        ctx.records.violation("response", where, responseProblems);
        reply = mismatch("its response does not", responseProblems, operation.docsUrl);
      }
    }
  }
  record.status = reply.status;
  ctx.log(
    `github stand-in: ${method} ${url.pathname} as ${caller.identity.kind} → ${reply.status}`,
  );
  sendJson(res, reply.status, reply.body, {
    "x-github-request-id": randomUUID().toUpperCase(),
    "x-github-api-version-selected": "2022-11-28",
    "x-github-media-type": "github.v3; format=json",
    ...reply.headers,
  });
  return true;
}

/** The 500 the stand-in answers when a request or its own response breaks GitHub's description. */
function mismatch(what: string, problems: readonly string[], docsUrl: string) {
  return {
    status: 500,
    body: errorBody(
      500,
      `GitHub stand-in: ${what} match GitHub's API description: ${problems.join("; ")}`,
      docsUrl,
    ),
  };
}
