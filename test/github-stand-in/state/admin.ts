// Changes a test (or the control API) makes to the stand-in's GitHub: users, repositories,
// collaborators and installations, with the `installation` and `installation_repositories`
// webhooks GitHub sends for them.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createDemoRepo } from "../../demo-repo/create.ts";
import type { StandInContext } from "../context.ts";
import { createBareRepo } from "../git/commands.ts";
import { installationPayload, installationRepositoriesPayload } from "../webhooks/payloads.ts";
import { makeAccount, type InstallationSeed, type RepoSeed, type UserSeed } from "./seed.ts";
import {
  findAccount,
  findRepo,
  installationFor,
  installationRepos,
  nodeId,
  repoKey,
  timestamp,
  type Account,
  type Installation,
  type Permission,
  type Repo,
} from "./world.ts";

/** A request the world cannot carry out (a duplicate, an unknown name); the control API's 400/404. */
export class AdminError extends Error {
  readonly code: "invalid_input" | "not_found";
  constructor(code: "invalid_input" | "not_found", message: string) {
    super(message);
    this.code = code;
  }
}

/** Adds a user; their login must be new. */
export function addUser(ctx: StandInContext, seed: UserSeed): Account {
  if (findAccount(ctx.world, seed.login))
    throw new AdminError("invalid_input", `user ${seed.login} exists`);
  const account = makeAccount(ctx.world, seed);
  ctx.world.accounts.set(account.login.toLowerCase(), account);
  return account;
}

async function fillFrom(seed: RepoSeed, dir: string, defaultBranch: string): Promise<void> {
  if (!seed.demo) return createBareRepo(dir, defaultBranch, seed.from);
  const scratch = await mkdtemp(join(tmpdir(), "github-stand-in-demo-"));
  try {
    await createDemoRepo(scratch);
    await createBareRepo(dir, defaultBranch, scratch);
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

/**
 * Adds a repository (its owner is created when unknown) as a bare git repository. When the owner
 * has an installation, the repository joins it and `installation_repositories` `added` is sent.
 */
export async function addRepo(ctx: StandInContext, seed: RepoSeed, announce = true): Promise<Repo> {
  const { world } = ctx;
  if (findRepo(world, seed.owner, seed.name))
    throw new AdminError("invalid_input", `repository ${seed.owner}/${seed.name} exists`);
  if (seed.from && seed.demo)
    throw new AdminError("invalid_input", "give `from` or `demo`, not both");
  const owner = findAccount(world, seed.owner) ?? addUser(ctx, { login: seed.owner });
  for (const { login } of seed.collaborators ?? [])
    if (!findAccount(world, login)) addUser(ctx, { login });
  const defaultBranch = seed.defaultBranch ?? "main";
  const dir = join(world.root, owner.login, `${seed.name}.git`);
  await fillFrom(seed, dir, defaultBranch);
  const id = world.nextId();
  const now = timestamp(world);
  const repo: Repo = {
    id,
    nodeId: nodeId("Repository", id),
    owner,
    name: seed.name,
    defaultBranch,
    private: seed.private ?? true,
    collaborators: new Map(
      (seed.collaborators ?? []).map(({ login, permission }) => [login, permission]),
    ),
    dir,
    createdAt: now,
    updatedAt: now,
    pushedAt: now,
    pulls: [],
  };
  world.repos.set(repoKey(owner.login, repo.name), repo);
  const installation = world.installations.find((found) => found.account.id === owner.id);
  if (installation?.selection === "selected") installation.repoIds.add(repo.id);
  if (installation && announce)
    ctx.deliveries.send(
      "installation_repositories",
      installationRepositoriesPayload(world, installation, "added", [repo], owner),
    );
  return repo;
}

/** Removes a repository and its git data, after `installation_repositories` `removed`. */
export async function removeRepo(ctx: StandInContext, owner: string, name: string): Promise<void> {
  const repo = findRepo(ctx.world, owner, name);
  if (!repo) throw new AdminError("not_found", `no repository ${owner}/${name}`);
  const installation = installationFor(ctx.world, repo);
  if (installation)
    ctx.deliveries.send(
      "installation_repositories",
      installationRepositoriesPayload(ctx.world, installation, "removed", [repo], repo.owner),
    );
  installation?.repoIds.delete(repo.id);
  ctx.world.repos.delete(repoKey(repo.owner.login, repo.name));
  await rm(repo.dir, { recursive: true, force: true });
}

/** Gives `login` a role on a repository, or takes it away (null). */
export function setCollaborator(
  ctx: StandInContext,
  owner: string,
  name: string,
  login: string,
  permission: Permission | null,
): void {
  const repo = findRepo(ctx.world, owner, name);
  if (!repo) throw new AdminError("not_found", `no repository ${owner}/${name}`);
  if (!findAccount(ctx.world, login)) throw new AdminError("not_found", `no user ${login}`);
  for (const existing of [...repo.collaborators.keys()])
    if (existing.toLowerCase() === login.toLowerCase()) repo.collaborators.delete(existing);
  if (permission) repo.collaborators.set(login, permission);
}

/** Installs the App on an account; `announce` sends `installation` `created`. */
export function addInstallation(
  ctx: StandInContext,
  seed: InstallationSeed,
  announce = true,
): Installation {
  const { world } = ctx;
  const account = findAccount(world, seed.account);
  if (!account) throw new AdminError("not_found", `no user ${seed.account}`);
  if (world.installations.some((found) => found.account.id === account.id))
    throw new AdminError("invalid_input", `the App is already installed on ${account.login}`);
  const chosen = seed.repositories ?? "all";
  const repoIds = new Set<number>();
  if (chosen !== "all")
    for (const name of chosen) {
      const repo = findRepo(world, account.login, name);
      if (!repo) throw new AdminError("not_found", `no repository ${account.login}/${name}`);
      repoIds.add(repo.id);
    }
  const installation: Installation = {
    id: world.nextId(),
    account,
    selection: chosen === "all" ? "all" : "selected",
    repoIds,
    createdAt: timestamp(world),
  };
  world.installations.push(installation);
  if (announce)
    ctx.deliveries.send(
      "installation",
      installationPayload(
        world,
        installation,
        "created",
        account,
        installationRepos(world, installation),
      ),
    );
  return installation;
}
