// The stand-in's GitHub, in memory: accounts, the App and its installations, repositories (each a
// real bare git repository on disk) and their pull requests and reviews.
import type { KeyObject } from "node:crypto";

/** A collaborator's role on a repository, weakest first in PERMISSION_ORDER. */
export type Permission = "admin" | "maintain" | "push" | "triage" | "pull";

/** Weakest first. */
export const PERMISSION_ORDER: Permission[] = ["pull", "triage", "push", "maintain", "admin"];

/** Whether `have` includes `need`. */
export const permits = (have: Permission, need: Permission): boolean =>
  PERMISSION_ORDER.indexOf(have) >= PERMISSION_ORDER.indexOf(need);

/** A user, or the App's bot user. */
export interface Account {
  login: string;
  id: number;
  nodeId: string;
  name: string | null;
  email: string | null;
  type: "User" | "Bot";
  createdAt: string;
}

/** An App permission level; `metadata` is always at least read. */
export type AccessLevel = "read" | "write";

/** The GitHub App that Tandem is. */
export interface App {
  id: number;
  nodeId: string;
  slug: string;
  name: string;
  clientId: string;
  clientSecret: string;
  webhookSecret: string;
  /** The registered callback: the redirect when the authorize URL names no `redirect_uri`. */
  callbackUrl: string | null;
  /** The repository permissions the App asks for: `contents`, `pull_requests`, `metadata`… */
  permissions: Record<string, AccessLevel>;
  events: string[];
  owner: Account;
  /** `<slug>[bot]`: the author of what installation tokens do. */
  bot: Account;
  publicKey: KeyObject;
  privateKeyPkcs8: string;
  createdAt: string;
}

/** The App installed on one account, for all its repositories or a chosen few. */
export interface Installation {
  id: number;
  account: Account;
  selection: "all" | "selected";
  /** The chosen repositories when `selection` is "selected". */
  repoIds: Set<number>;
  createdAt: string;
}

/** A submitted (or pending) pull request review. */
export interface Review {
  id: number;
  nodeId: string;
  user: Account;
  body: string;
  state: "APPROVED" | "CHANGES_REQUESTED" | "COMMENTED" | "PENDING";
  commitId: string;
  submittedAt: string | null;
}

/** A pull request between two branches of one repository. */
export interface Pull {
  id: number;
  nodeId: string;
  number: number;
  title: string;
  body: string | null;
  user: Account;
  headRef: string;
  baseRef: string;
  /** The head branch's commit when last seen; kept when the branch is deleted. */
  headSha: string;
  baseSha: string;
  state: "open" | "closed";
  draft: boolean;
  maintainerCanModify: boolean;
  merged: boolean;
  mergedAt: string | null;
  mergedBy: Account | null;
  mergeCommitSha: string | null;
  createdAt: string;
  updatedAt: string;
  closedAt: string | null;
  reviews: Review[];
}

/** A repository; its git data lives in the bare repository at `dir`. */
export interface Repo {
  id: number;
  nodeId: string;
  owner: Account;
  name: string;
  defaultBranch: string;
  private: boolean;
  /** login → role; the owner is an admin without being listed. */
  collaborators: Map<string, Permission>;
  dir: string;
  createdAt: string;
  updatedAt: string;
  pushedAt: string;
  pulls: Pull[];
}

/** The clock every expiry and timestamp reads; `advance` moves it forward for expiry tests. */
export interface Clock {
  nowMs(): number;
  advance(seconds: number): void;
}

/** Everything the stand-in knows. */
export interface World {
  /** `http://127.0.0.1:port`: REST, OAuth and git are all served from it. */
  baseUrl: string;
  /** Where the bare repositories live: `<root>/<owner>/<name>.git`. */
  root: string;
  clock: Clock;
  app: App;
  /** By lower-cased login. */
  accounts: Map<string, Account>;
  /** By lower-cased `owner/name`. */
  repos: Map<string, Repo>;
  installations: Installation[];
  /** Who the OAuth flow signs in when the authorize URL names no `login`. */
  defaultLogin: string;
  /** The next id of any object (ids are unique across kinds, which GitHub does not promise). */
  nextId(): number;
}

/** A clock on `now` (Date.now by default) that `advance` can move forward. */
export function createClock(now: () => number = Date.now): Clock {
  let offsetMs = 0;
  return {
    nowMs: () => now() + offsetMs,
    advance(seconds) {
      offsetMs += seconds * 1000;
    },
  };
}

/** GitHub's timestamp format: ISO 8601 in UTC without milliseconds. */
export const isoSeconds = (ms: number): string =>
  new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");

/** The clock's time as GitHub writes it. */
export const timestamp = (world: Pick<World, "clock">): string => isoSeconds(world.clock.nowMs());

/** GitHub's legacy global node id (`MDQ6VXNlcjE=` for user 1). */
export const nodeId = (kind: string, id: number): string =>
  Buffer.from(`0${kind.length}:${kind}${id}`).toString("base64");

/** The key of a repository in `World.repos`. */
export const repoKey = (owner: string, name: string): string => `${owner}/${name}`.toLowerCase();

/** The repository `owner/name` (a `.git` suffix allowed), case-insensitively. */
export const findRepo = (world: World, owner: string, name: string): Repo | undefined =>
  world.repos.get(repoKey(owner, name.replace(/\.git$/, "")));

/** The account with `login`, case-insensitively. */
export const findAccount = (world: World, login: string): Account | undefined =>
  world.accounts.get(login.toLowerCase());

/** The installation of the App that covers `repo`, if any. */
export function installationFor(world: World, repo: Repo): Installation | undefined {
  return world.installations.find(
    (installation) =>
      installation.account.id === repo.owner.id &&
      (installation.selection === "all" || installation.repoIds.has(repo.id)),
  );
}

/** The repositories an installation covers. */
export function installationRepos(world: World, installation: Installation): Repo[] {
  return [...world.repos.values()].filter(
    (repo) => installationFor(world, repo)?.id === installation.id,
  );
}

/** A user's role on a repository, or null. */
export function roleOf(repo: Repo, login: string): Permission | null {
  if (repo.owner.login.toLowerCase() === login.toLowerCase()) return "admin";
  for (const [name, permission] of repo.collaborators)
    if (name.toLowerCase() === login.toLowerCase()) return permission;
  return null;
}
