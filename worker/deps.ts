// The composition root of the Worker: the only place that reads `env`.
import type { RepoPoolObject } from "../durable-objects/repo-pool/repo-pool-object.ts";
import type { SessionObject } from "../durable-objects/session/session-object.ts";
import { gitHubConfigFrom } from "../github/config.ts";
import { GitHub, type GitCredential } from "../github/github.ts";
import { Registry } from "../registry/registry.ts";
import { TandemError } from "../protocol/errors.ts";
import { openDatabase, type Database } from "./db/database.ts";
import { modelAsk } from "../agent/ask.ts";
import { agentOptionsFrom, FAST_MODEL } from "../agent/config.ts";
import type { Ask } from "../orchestration/routing/classifier.ts";
import { previewDomainFrom, type PreviewDomain } from "../protocol/previews.ts";
import { sandboxProviderFrom } from "../sandbox/configured-provider.ts";
import type { SandboxProvider } from "../sandbox/provider.ts";
import { containerNamespace } from "../sandbox/containers/container-calls.ts";
import type { PortRouteDeps } from "../sandbox/containers/port-route.ts";
import type { PreviewHostDeps } from "./previews/preview-host.ts";

/** Everything route handlers need, built once per request from the bindings. */
export interface Deps {
  db: Database;
  /** The Session object that owns a session id. */
  session: (sessionId: string) => DurableObjectStub<SessionObject>;
  /** The image registry in D1. */
  registry: Registry;
  /** The RepoPool object of a repository (`owner/name`). */
  pool: (repo: string) => DurableObjectStub<RepoPoolObject>;
  now: () => number;
  sessionSecret: string;
  /** Origins that may use cookies and open sockets. */
  publicOrigin: string;
  secureCookies: boolean;
  /** GitHub (the App, sign-in, people's tokens), or null when it is not configured. */
  github: GitHub | null;
  /** A credential for one clone of a repository (an installation token), or null when none is needed. */
  cloneCredential: (repo: string) => Promise<GitCredential | null>;
  /** The fast model that routes requests to spaces; null without a model server. */
  ask: Ask | null;
  /** Where session previews are served (PREVIEW_URL), or null when they are not. */
  previewDomain: PreviewDomain | null;
}

/** Builds the dependencies from the Worker's bindings. */
export function buildDeps(env: Env): Deps {
  if (!env.SESSION_SECRET || env.SESSION_SECRET.length < 32) {
    throw new TandemError(
      "misconfigured",
      "SESSION_SECRET is not set (or shorter than 32 characters): set it with `wrangler secret put SESSION_SECRET`.",
    );
  }
  const publicUrl = new URL(env.PUBLIC_URL || "http://127.0.0.1:8787");
  const db = openDatabase(env.DB);
  const now = () => Date.now();
  let github;
  try {
    github = gitHubConfigFrom(env);
  } catch (error) {
    throw new TandemError("misconfigured", error instanceof Error ? error.message : String(error));
  }
  const gitHub = github ? new GitHub(github, db, now) : null;
  let server;
  try {
    server = agentOptionsFrom(env).server;
  } catch (error) {
    throw new TandemError("misconfigured", error instanceof Error ? error.message : String(error));
  }
  return {
    db,
    registry: new Registry(db),
    pool: (repo) => env.REPO_POOL.get(env.REPO_POOL.idFromName(repo)),
    session: (sessionId) => env.SESSION.get(env.SESSION.idFromName(sessionId)),
    now,
    sessionSecret: env.SESSION_SECRET,
    publicOrigin: publicUrl.origin,
    secureCookies: publicUrl.protocol === "https:",
    github: gitHub,
    cloneCredential: async (repo) => (gitHub ? gitHub.cloneCredential(repo) : null),
    ask: server ? modelAsk(server, env.TANDEM_MODEL_FAST || FAST_MODEL) : null,
    previewDomain: previewDomainFrom(env.PREVIEW_URL),
  };
}

/** Where session previews are served, or null when PREVIEW_URL is not set. */
export function previewDomainOf(env: Env): PreviewDomain | null {
  return previewDomainFrom(env.PREVIEW_URL);
}

/** The sandbox host (or fleet) clients, kept for the isolate's life: a fleet remembers which host
 * holds which sandbox, which would otherwise be asked of every host on every preview request. */
let hostSandboxes: { key: string; provider: SandboxProvider | null } | null = null;

function sandboxesFor(env: Env): SandboxProvider | null {
  if (env.SANDBOX_CONTAINER) return sandboxProviderFrom(env);
  const key = `${env.SANDBOX_HOST_URL}\n${env.SANDBOX_HOST_TOKEN}`;
  if (hostSandboxes?.key !== key) hostSandboxes = { key, provider: sandboxProviderFrom(env) };
  return hostSandboxes.provider;
}

/** What a preview's origin needs; the session secret must be set as for the API. */
export function buildPreviewDeps(env: Env, domain: PreviewDomain): PreviewHostDeps {
  if (!env.SESSION_SECRET || env.SESSION_SECRET.length < 32)
    throw new TandemError(
      "misconfigured",
      "SESSION_SECRET is not set (or shorter than 32 characters).",
    );
  return {
    domain,
    publicOrigin: new URL(env.PUBLIC_URL || "http://127.0.0.1:8787").origin,
    secret: env.SESSION_SECRET,
    now: () => Date.now(),
    session: (sessionId) => env.SESSION.get(env.SESSION.idFromName(sessionId)),
    sandboxes: sandboxesFor(env),
  };
}

/** The public route of exposed container ports, where the deployment runs Containers. */
export function sandboxPortRouteOf(env: Env): PortRouteDeps | null {
  if (!env.SANDBOX_CONTAINER) return null;
  const token = (env as Env & { SANDBOX_PORT_TOKEN?: string }).SANDBOX_PORT_TOKEN;
  return { token, containers: containerNamespace(env.SANDBOX_CONTAINER) };
}
