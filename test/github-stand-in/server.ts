// The GitHub stand-in: the parts of GitHub that Tandem uses (REST, the OAuth web flow, git over
// smart HTTP, signed webhooks), speaking GitHub's protocol so octokit and git work unchanged, every
// REST request and response and every webhook payload checked against GitHub's published API
// description. State is in memory (repositories are bare git repositories in a temporary folder).
import type { IncomingMessage, ServerResponse } from "node:http";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { restCaller } from "./auth/caller.ts";
import { createOAuth } from "./auth/oauth-routes.ts";
import {
  createTokens,
  GITHUB_LIFETIMES,
  type TokenLifetimes,
  type UserTokenPair,
} from "./auth/tokens.ts";
import { createRepoLocks, type StandInContext } from "./context.ts";
import { serveControl } from "./control.ts";
import { setFault, type Fault } from "./faults.ts";
import { loadDescription } from "./description/validator.ts";
import { matchGitPath, serveGit } from "./git/smart-http.ts";
import { createRecords, type RecordedRequest, type Violation } from "./records.ts";
import { appRoutes } from "./rest/app-routes.ts";
import { compileRoutes, DOCS_ROOT, errorBody, serveRest } from "./rest/dispatch.ts";
import { mergeRoute } from "./rest/merge-route.ts";
import { pullRoutes } from "./rest/pull-routes.ts";
import { repoRoutes } from "./rest/repo-routes.ts";
import { reviewRoutes } from "./rest/review-routes.ts";
import { userRoutes } from "./rest/user-routes.ts";
import { addInstallation, addRepo, addUser, removeRepo, setCollaborator } from "./state/admin.ts";
import {
  createWorld,
  DEFAULT_REPOS,
  DEFAULT_USERS,
  type AppSeed,
  type InstallationSeed,
  type RepoSeed,
  type UserSeed,
} from "./state/seed.ts";
import { createClock, findAccount, type Permission } from "./state/world.ts";
import { summarize, type AppCredentials, type StandInSummary } from "./summary.ts";
import { createDeliveries, type Delivery } from "./webhooks/deliveries.ts";
import { sendJson } from "../support/http.ts";
import { listen } from "../support/listener.ts";

/** How to start the stand-in; every field optional. */
export interface GitHubStandInOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  /** 127.0.0.1 by default. */
  host?: string;
  /** The users; the first is the App's owner and the OAuth flow's default. `[demo]` by default. */
  users?: UserSeed[];
  /** The repositories; `demo/stats` with the demo repository by default. */
  repos?: RepoSeed[];
  app?: AppSeed;
  /** Installations of the App; by default one (all repositories) per repository owner and on the first user. */
  installations?: InstallationSeed[];
  /** Where webhooks go; none are sent (but all are recorded) until one is set. */
  webhookUrl?: string | null;
  /** The clock, ms since the epoch; Date.now by default. */
  now?: () => number;
  /** The user token's lifetime in seconds (`expires_in`); 28800 by default. */
  expiresInSeconds?: number;
  /** Every token lifetime; `expiresInSeconds` wins for user tokens. */
  tokenLifetimes?: Partial<TokenLifetimes>;
  /** Where the bare repositories go; a temporary folder (removed on stop) by default. */
  dataDir?: string;
  /** Gets one line per request and per delivery; silent by default. */
  log?: (line: string) => void;
}

/** A user as the stand-in reports it. */
export type UserSummary = StandInSummary["users"][number];
/** A repository as the stand-in reports it. */
export type RepoSummary = StandInSummary["repos"][number];
/** An installation as the stand-in reports it. */
export type InstallationSummary = StandInSummary["installations"][number];

/** A running stand-in. */
export interface GitHubStandIn {
  /** `http://host:port`: octokit's `baseUrl`, the OAuth host and the git host. */
  url: string;
  /** `http://host:port/owner/repo.git`. */
  gitUrl(owner: string, repo: string): string;
  app: AppCredentials;
  addUser(seed: UserSeed): UserSummary;
  /** Adds a repository; when its owner has an installation, sends `installation_repositories`. */
  addRepo(seed: RepoSeed): Promise<RepoSummary>;
  removeRepo(owner: string, name: string): Promise<void>;
  /** Gives a user a role on a repository, or removes it (null). */
  setCollaborator(owner: string, name: string, login: string, permission: Permission | null): void;
  /** Installs the App on an account and sends `installation` `created`. */
  addInstallation(seed: InstallationSeed): InstallationSummary;
  setWebhookUrl(url: string | null): void;
  /** A user token pair as the OAuth flow would issue it, for tests that skip the flow. */
  issueUserToken(login: string): UserTokenPair;
  /** Makes the user tokens of one login (or of all) expired; refresh tokens too when asked. */
  expireUserTokens(login?: string, options?: { refreshTokens?: boolean }): number;
  /** Moves the stand-in's clock forward (every expiry reads it, App JWTs included). */
  advanceClock(seconds: number): void;
  /**
   * Makes the next `times` calls of a served REST operation (`pulls/create`) or a git request
   * (`git/receive-pack`, `git/upload-pack`, with `/refs` for the advertisement) answer `status`,
   * on any repository or only on `repo`; throws for an operation the stand-in does not serve.
   */
  injectFault(fault: Fault): void;
  /** Recorded requests, oldest first; `operation` narrows to one (`pulls/create`). */
  requests(filter?: { operation?: string }): RecordedRequest[];
  clearRequests(): void;
  deliveries(): Delivery[];
  /** Resolves once every queued webhook delivery has ended. */
  webhooksSettled(): Promise<void>;
  /** Sends an earlier delivery again with the same `X-GitHub-Delivery`. */
  redeliver(guid: string): Delivery;
  /** Mismatches with GitHub's API description; a passing test leaves this empty. */
  violations(): Violation[];
  clearViolations(): void;
  summary(): StandInSummary;
  stop(): Promise<void>;
}

/** Starts the stand-in and resolves once it listens with its seed in place. */
export async function startGitHubStandIn(
  options: GitHubStandInOptions = {},
): Promise<GitHubStandIn> {
  const log = options.log ?? (() => {});
  const description = await loadDescription();
  const ownedDir = options.dataDir ? null : await mkdtemp(join(tmpdir(), "github-stand-in-"));
  const root = options.dataDir ?? ownedDir!;
  const clock = createClock(options.now);
  const world = await createWorld({
    clock,
    root,
    users: options.users ?? DEFAULT_USERS,
    app: options.app ?? {},
  });
  const records = createRecords(log);
  const lifetimes: TokenLifetimes = {
    ...GITHUB_LIFETIMES,
    ...options.tokenLifetimes,
    ...(options.expiresInSeconds === undefined
      ? {}
      : { userTokenSeconds: options.expiresInSeconds }),
  };
  const deliveries = createDeliveries({
    appId: world.app.id,
    secret: () => world.app.webhookSecret,
    url: options.webhookUrl ?? null,
    description,
    records,
    log,
  });
  const ctx: StandInContext = {
    faults: new Map(),
    world,
    tokens: createTokens(clock, lifetimes),
    records,
    deliveries,
    description,
    log,
    withRepoLock: createRepoLocks(),
  };
  const routes = compileRoutes(ctx, [
    ...userRoutes,
    ...appRoutes,
    ...repoRoutes,
    ...pullRoutes,
    mergeRoute,
    ...reviewRoutes,
  ]);
  const restOperations = new Set(routes.map((compiled) => compiled.operation.operationId));
  const oauth = createOAuth(ctx);
  const summary = () => summarize(world, deliveries);

  async function unserved(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    req.resume();
    const method = req.method ?? "GET";
    const operationId = description.identify(method, url.pathname);
    const caller = restCaller(world, ctx.tokens, req.headers.authorization);
    const record = records.start({
      surface: "rest",
      method,
      path: url.pathname + url.search,
      operation: operationId,
      identity: caller.identity,
      tokenKind: caller.tokenKind,
      body: null,
      receivedAt: Date.now(),
    });
    if (operationId) {
      records.violation("unserved", `${method} ${url.pathname}`, [
        `GitHub's ${operationId} is not served by the GitHub stand-in`,
      ]);
      record.status = 500;
      return sendJson(
        res,
        500,
        errorBody(500, `GitHub stand-in: ${operationId} is not served by the stand-in`, DOCS_ROOT),
      );
    }
    record.status = 404;
    log(`github stand-in: ${method} ${url.pathname} → 404`);
    sendJson(res, 404, errorBody(404, "Not Found", DOCS_ROOT));
  }

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", world.baseUrl);
    if (url.pathname.startsWith("/_stand-in/"))
      return serveControl(ctx, { summary, restOperations }, req, res, url);
    const git = matchGitPath(url.pathname);
    if (git) return serveGit(ctx, req, res, url, git);
    if (await oauth.serve(req, res, url)) return;
    if (await serveRest(ctx, routes, req, res, url)) return;
    return unserved(req, res, url);
  }

  const listener = await listen(route, {
    port: options.port,
    host: options.host,
    name: "github stand-in",
    log,
    failureBody: errorBody(500, "The GitHub stand-in failed; see its log", DOCS_ROOT),
  });
  world.baseUrl = listener.url;

  const stop = async () => {
    deliveries.close();
    await listener.close();
    if (ownedDir) await rm(ownedDir, { recursive: true, force: true });
  };

  try {
    const repoSeeds = options.repos ?? DEFAULT_REPOS;
    for (const seed of repoSeeds) await addRepo(ctx, seed, false);
    const owners = [world.defaultLogin, ...repoSeeds.map((seed) => seed.owner)];
    const installationSeeds = options.installations ?? [
      ...new Map(owners.map((login) => [login.toLowerCase(), { account: login }])).values(),
    ];
    for (const seed of installationSeeds) addInstallation(ctx, seed, false);
  } catch (error) {
    await stop();
    throw error;
  }

  const userSummary = (login: string) => summary().users.find((user) => user.login === login)!;
  return {
    url: world.baseUrl,
    gitUrl: (owner, repo) => `${world.baseUrl}/${owner}/${repo}.git`,
    app: summary().app,
    addUser: (seed) => userSummary(addUser(ctx, seed).login),
    async addRepo(seed) {
      const repo = await addRepo(ctx, seed);
      return summary().repos.find((entry) => entry.id === repo.id)!;
    },
    removeRepo: (owner, name) => removeRepo(ctx, owner, name),
    setCollaborator: (owner, name, login, permission) =>
      setCollaborator(ctx, owner, name, login, permission),
    addInstallation(seed) {
      const installation = addInstallation(ctx, seed);
      return summary().installations.find((entry) => entry.id === installation.id)!;
    },
    setWebhookUrl: (url) => deliveries.setUrl(url),
    issueUserToken(login) {
      const account = findAccount(world, login);
      if (!account) throw new Error(`github stand-in: no user ${login}`);
      return ctx.tokens.issueUser(account.login);
    },
    expireUserTokens: (login, expiry) =>
      ctx.tokens.expireUserTokens(login, expiry?.refreshTokens ?? false),
    advanceClock: (seconds) => clock.advance(seconds),
    injectFault: (fault) => setFault(ctx, restOperations, fault),
    requests: (filter) =>
      records
        .requests()
        .filter((entry) => !filter?.operation || entry.operation === filter.operation),
    clearRequests: () => records.clearRequests(),
    deliveries: () => deliveries.list(),
    webhooksSettled: () => deliveries.idle(),
    redeliver: (guid) => deliveries.redeliver(guid),
    violations: () => records.violations(),
    clearViolations: () => records.clearViolations(),
    summary,
    stop,
  };
}
