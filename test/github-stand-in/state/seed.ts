// How a stand-in's GitHub starts: the seed options, their defaults (user `demo`, the App installed
// on `demo`, and `demo/stats` holding the demo repository), and the world built from them.
import { createPrivateKey, createPublicKey, generateKeyPair, randomBytes } from "node:crypto";
import { promisify } from "node:util";
import {
  nodeId,
  timestamp,
  type AccessLevel,
  type Account,
  type App,
  type Clock,
  type Permission,
  type World,
} from "./world.ts";

/** A user to seed. */
export interface UserSeed {
  login: string;
  id?: number;
  name?: string | null;
  /** Defaults to `<login>@tandem.invalid`; null for a user without a public email. */
  email?: string | null;
}

/** A repository to seed. */
export interface RepoSeed {
  owner: string;
  name: string;
  /** "main" by default. */
  defaultBranch?: string;
  /** true by default: only collaborators (and the owner) see it. */
  private?: boolean;
  collaborators?: { login: string; permission: Permission }[];
  /** A git repository (working tree or bare) whose branches the new repository starts with. */
  from?: string;
  /** Starts the repository with the demo repository's one commit (`test/demo-repo`). */
  demo?: boolean;
}

/** The App's settings; everything not given is generated. */
export interface AppSeed {
  id?: number;
  slug?: string;
  name?: string;
  clientId?: string;
  clientSecret?: string;
  webhookSecret?: string;
  /** Where the OAuth flow redirects when the authorize URL names no `redirect_uri`. */
  callbackUrl?: string;
  /** Repository permissions; `{ contents: "write", pull_requests: "write", metadata: "read" }`. */
  permissions?: Record<string, AccessLevel>;
  /** The events the App subscribes to (shown in `GET /app`; every event is delivered). */
  events?: string[];
  /** The App's RSA private key as PEM (PKCS#8 or PKCS#1); a new 2048-bit key by default. */
  privateKey?: string;
}

/** An installation of the App to seed. */
export interface InstallationSeed {
  /** The user it is installed on. */
  account: string;
  /** "all" (the default) or the names of the chosen repositories. */
  repositories?: "all" | string[];
}

/** The user seeded when none are given. */
export const DEFAULT_USERS: UserSeed[] = [
  { login: "demo", name: "Tandem Demo", email: "demo@tandem.invalid" },
];
/** The repository seeded when none are given. */
export const DEFAULT_REPOS: RepoSeed[] = [{ owner: "demo", name: "stats", demo: true }];
/** The App's repository permissions when none are given. */
export const DEFAULT_APP_PERMISSIONS: Record<string, AccessLevel> = {
  contents: "write",
  pull_requests: "write",
  metadata: "read",
};
const DEFAULT_EVENTS = ["pull_request", "pull_request_review", "push"];

/** The first id handed out; seeded ids should stay below it. */
const FIRST_ID = 100_001;

const generateRsa = promisify(generateKeyPair);

/** An account object for a user seed. */
export function makeAccount(
  world: Pick<World, "nextId" | "clock">,
  seed: UserSeed,
  type: Account["type"] = "User",
): Account {
  const id = seed.id ?? world.nextId();
  return {
    login: seed.login,
    id,
    nodeId: nodeId(type, id),
    name: seed.name === undefined ? seed.login : seed.name,
    email: seed.email === undefined ? `${seed.login}@tandem.invalid` : seed.email,
    type,
    createdAt: timestamp(world),
  };
}

/** A world with the App, its key pair and the users; no repositories or installations yet. */
export async function createWorld(options: {
  clock: Clock;
  root: string;
  users: UserSeed[];
  app: AppSeed;
}): Promise<World> {
  let next = FIRST_ID;
  const partial = { clock: options.clock, nextId: () => next++ };
  const users = options.users.map((seed) => makeAccount(partial, seed));
  const owner = users[0];
  if (!owner) throw new Error("github stand-in: at least one user is needed");
  const seed = options.app;
  const privateKey = seed.privateKey
    ? createPrivateKey(seed.privateKey)
    : (await generateRsa("rsa", { modulusLength: 2048 })).privateKey;
  const publicKey = createPublicKey(privateKey);
  const appId = seed.id ?? 1001;
  const slug = seed.slug ?? "tandem-stand-in";
  const bot = makeAccount(partial, { login: `${slug}[bot]`, name: null, email: null }, "Bot");
  const app: App = {
    id: appId,
    nodeId: nodeId("Integration", appId),
    slug,
    name: seed.name ?? "Tandem (GitHub stand-in)",
    clientId: seed.clientId ?? `Iv23li${randomBytes(7).toString("hex")}`,
    clientSecret: seed.clientSecret ?? randomBytes(20).toString("hex"),
    webhookSecret: seed.webhookSecret ?? randomBytes(16).toString("hex"),
    callbackUrl: seed.callbackUrl ?? null,
    permissions: { ...(seed.permissions ?? DEFAULT_APP_PERMISSIONS) },
    events: seed.events ?? DEFAULT_EVENTS,
    owner,
    bot: { ...bot, email: `${bot.id}+${slug}[bot]@users.noreply.github.com` },
    publicKey,
    privateKeyPkcs8: privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
    createdAt: timestamp(partial),
  };
  const world: World = {
    baseUrl: "",
    root: options.root,
    clock: options.clock,
    app,
    accounts: new Map(users.map((account) => [account.login.toLowerCase(), account])),
    repos: new Map(),
    installations: [],
    defaultLogin: owner.login,
    nextId: partial.nextId,
  };
  return world;
}
