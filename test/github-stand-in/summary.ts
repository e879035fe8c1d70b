// The stand-in's state in plain JSON: what `GET /_stand-in/info` answers and the CLI prints from.
import type { Deliveries } from "./webhooks/deliveries.ts";
import { installationRepos, type Permission, type World } from "./state/world.ts";

/** The App's credentials, as Tandem is configured with them. */
export interface AppCredentials {
  id: number;
  slug: string;
  clientId: string;
  clientSecret: string;
  webhookSecret: string;
  /** The App's private key, PKCS#8 PEM (`-----BEGIN PRIVATE KEY-----`). */
  privateKeyPkcs8: string;
}

/** Everything a client needs to find its way around the stand-in. */
export interface StandInSummary {
  /** REST API base (octokit's `baseUrl`), OAuth host and git host in one. */
  url: string;
  app: AppCredentials;
  webhookUrl: string | null;
  /** Who the OAuth flow signs in when the authorize URL names no `login`. */
  defaultLogin: string;
  users: { login: string; id: number; name: string | null; email: string | null }[];
  repos: {
    id: number;
    owner: string;
    name: string;
    fullName: string;
    defaultBranch: string;
    private: boolean;
    gitUrl: string;
    collaborators: { login: string; permission: Permission }[];
  }[];
  installations: {
    id: number;
    account: string;
    repositorySelection: "all" | "selected";
    repositories: string[];
  }[];
}

/** The summary of `world` now. */
export function summarize(world: World, deliveries: Deliveries): StandInSummary {
  const { app } = world;
  return {
    url: world.baseUrl,
    app: {
      id: app.id,
      slug: app.slug,
      clientId: app.clientId,
      clientSecret: app.clientSecret,
      webhookSecret: app.webhookSecret,
      privateKeyPkcs8: app.privateKeyPkcs8,
    },
    webhookUrl: deliveries.url(),
    defaultLogin: world.defaultLogin,
    users: [...world.accounts.values()]
      .filter((account) => account.type === "User")
      .map(({ login, id, name, email }) => ({ login, id, name, email })),
    repos: [...world.repos.values()].map((repo) => ({
      id: repo.id,
      owner: repo.owner.login,
      name: repo.name,
      fullName: `${repo.owner.login}/${repo.name}`,
      defaultBranch: repo.defaultBranch,
      private: repo.private,
      gitUrl: `${world.baseUrl}/${repo.owner.login}/${repo.name}.git`,
      collaborators: [
        { login: repo.owner.login, permission: "admin" as const },
        ...[...repo.collaborators].map(([login, permission]) => ({ login, permission })),
      ],
    })),
    installations: world.installations.map((found) => ({
      id: found.id,
      account: found.account.login,
      repositorySelection: found.selection,
      repositories: installationRepos(world, found).map((repo) => repo.name),
    })),
  };
}
