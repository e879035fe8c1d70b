// Git's smart HTTP protocol at `/{owner}/{repo}.git/…`, answered by `git http-backend` (one
// process per request) behind GitHub's credential and permission checks. A push is followed by
// its webhooks, queued before the push's answer ends. A fault a test injected answers in place of
// the backend.
import { spawn } from "node:child_process";
import type { IncomingMessage, ServerResponse } from "node:http";
import { describeIdentity, gitCaller, type Caller } from "../auth/caller.ts";
import { MAX_BODY_BYTES, type StandInContext } from "../context.ts";
import { takeFault } from "../faults.ts";
import { readBody } from "../../support/http.ts";
import { repoAccess } from "../state/access.ts";
import { findAccount, findRepo, type Account, type Repo } from "../state/world.ts";
import { gitEnv, listRefs } from "./commands.ts";
import { announceRefChanges } from "./ref-changes.ts";

const GIT_PATH = /^\/([^/]+)\/([^/]+?)(?:\.git)?\/(info\/refs|git-upload-pack|git-receive-pack)$/;

/** The repository and endpoint of a git request path, or null when it is not one. */
export function matchGitPath(
  pathname: string,
): { owner: string; name: string; endpoint: string } | null {
  const match = GIT_PATH.exec(pathname);
  return match ? { owner: match[1]!, name: match[2]!, endpoint: match[3]! } : null;
}

function sendText(
  res: ServerResponse,
  status: number,
  text: string,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, { "content-type": "text/plain; charset=utf-8", ...headers });
  res.end(`${text}\n`);
}

/** Whose push it was: the user, or the App's bot for an installation token. */
function pusherOf(ctx: StandInContext, caller: Caller): Account {
  if (caller.identity.kind === "user")
    return findAccount(ctx.world, caller.identity.login) ?? ctx.world.app.bot;
  return ctx.world.app.bot;
}

/** Runs `git http-backend` for the request, streaming its answer; `beforeEnd` runs before the end. */
function runBackend(
  ctx: StandInContext,
  req: IncomingMessage,
  res: ServerResponse,
  repo: Repo,
  endpoint: string,
  query: string,
  body: Buffer,
  remoteUser: string,
  beforeEnd: () => Promise<void>,
): Promise<void> {
  const env: Record<string, string> = {
    GIT_PROJECT_ROOT: ctx.world.root,
    GIT_HTTP_EXPORT_ALL: "1",
    PATH_INFO: `/${repo.owner.login}/${repo.name}.git/${endpoint}`,
    REQUEST_METHOD: req.method ?? "GET",
    QUERY_STRING: query,
    CONTENT_TYPE: req.headers["content-type"] ?? "",
    CONTENT_LENGTH: String(body.length),
    REMOTE_USER: remoteUser,
    REMOTE_ADDR: req.socket.remoteAddress ?? "127.0.0.1",
  };
  const encoding = req.headers["content-encoding"];
  if (encoding) env.HTTP_CONTENT_ENCODING = encoding;
  const protocol = req.headers["git-protocol"];
  if (typeof protocol === "string") env.GIT_PROTOCOL = protocol;

  return new Promise((resolve, reject) => {
    const child = spawn("git", ["http-backend"], {
      env: gitEnv(env),
      stdio: ["pipe", "pipe", "pipe"],
    });
    let head = Buffer.alloc(0);
    let headerDone = false;
    const stderr: Buffer[] = [];
    child.stderr.on("data", (chunk: Buffer) => stderr.push(chunk));
    child.stdout.on("data", (chunk: Buffer) => {
      if (headerDone) {
        res.write(chunk);
        return;
      }
      head = Buffer.concat([head, chunk]);
      const crlf = head.indexOf("\r\n\r\n");
      const lf = head.indexOf("\n\n");
      const end = crlf >= 0 && (lf < 0 || crlf < lf) ? crlf : lf;
      if (end < 0) return;
      const separator = end === crlf ? 4 : 2;
      headerDone = true;
      let status = 200;
      const headers: Record<string, string> = {};
      for (const line of head.subarray(0, end).toString("latin1").split(/\r?\n/)) {
        const colon = line.indexOf(":");
        if (colon < 0) continue;
        const name = line.slice(0, colon).trim();
        const value = line.slice(colon + 1).trim();
        if (name.toLowerCase() === "status") status = Number.parseInt(value, 10) || 500;
        else headers[name] = value;
      }
      res.writeHead(status, headers);
      res.write(head.subarray(end + separator));
    });
    child.on("error", reject);
    child.on("close", (code) => {
      if (stderr.length > 0)
        ctx.log(
          `github stand-in: git http-backend: ${Buffer.concat(stderr).toString("utf8").trim()}`,
        );
      if (!headerDone) {
        sendText(res, 500, `github stand-in: git http-backend ended (${code}) without an answer`);
        resolve();
        return;
      }
      beforeEnd().then(
        () => {
          res.end();
          resolve();
        },
        (error: unknown) => {
          res.destroy();
          reject(error);
        },
      );
    });
    child.stdin.on("error", () => undefined);
    child.stdin.end(body);
  });
}

/** Serves one git request; `match` is what `matchGitPath` found. */
export async function serveGit(
  ctx: StandInContext,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  match: { owner: string; name: string; endpoint: string },
): Promise<void> {
  const service = match.endpoint === "info/refs" ? url.searchParams.get("service") : match.endpoint;
  const caller = gitCaller(ctx.world, ctx.tokens, req.headers.authorization);
  const operation = `git/${(service ?? "dumb").replace(/^git-/, "")}${match.endpoint === "info/refs" ? "/refs" : ""}`;
  const record = ctx.records.start({
    surface: "git",
    method: req.method ?? "GET",
    path: url.pathname + url.search,
    operation,
    identity: caller.identity,
    tokenKind: caller.tokenKind,
    body: null,
    receivedAt: Date.now(),
  });
  const body = (await readBody(req, MAX_BODY_BYTES)) ?? Buffer.alloc(0);
  const answer = (status: number, text: string, headers: Record<string, string> = {}) => {
    record.status = status;
    sendText(res, status, text, headers);
  };
  const challenge = { "www-authenticate": 'Basic realm="GitHub"' };
  if (service !== "git-upload-pack" && service !== "git-receive-pack")
    return answer(403, "github stand-in: only the smart HTTP protocol is served");
  if (caller.refused) return answer(401, caller.refused, challenge);
  if (caller.identity.kind === "none") return answer(401, "Authentication required", challenge);
  const repo = findRepo(ctx.world, match.owner, match.name);
  const write = service === "git-receive-pack";
  const access = repo
    ? repoAccess(ctx.world, caller, repo, { scope: "contents", level: write ? "write" : "read" })
    : null;
  if (!repo || !access || (!access.ok && access.status === 404))
    return answer(404, "Repository not found.");
  if (!access.ok) {
    const who = describeIdentity(caller.identity);
    return answer(403, `Permission to ${repo.owner.login}/${repo.name}.git denied to ${who}.`);
  }
  // A failure a test asked for, after the credential checks so git's unauthenticated first
  // attempt does not use it up.
  const faultStatus = takeFault(ctx, operation, `${repo.owner.login}/${repo.name}`);
  if (faultStatus !== null) return answer(faultStatus, "GitHub stand-in: injected failure");
  const remoteUser = describeIdentity(caller.identity);
  const query = url.search.slice(1);
  if (!(write && req.method === "POST")) {
    await runBackend(
      ctx,
      req,
      res,
      repo,
      match.endpoint,
      query,
      body,
      remoteUser,
      async () => undefined,
    );
  } else {
    await ctx.withRepoLock(repo, async () => {
      const before = await listRefs(repo.dir);
      await runBackend(ctx, req, res, repo, match.endpoint, query, body, remoteUser, async () => {
        const after = await listRefs(repo.dir);
        await announceRefChanges(ctx, repo, before, after, pusherOf(ctx, caller));
      });
    });
  }
  record.status = res.statusCode;
}
