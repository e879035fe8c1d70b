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
  };
}
