// Octokit clients for the stand-in's tests: no retries, no console noise for expected errors.
import { createAppAuth } from "@octokit/auth-app";
import { Octokit } from "@octokit/rest";
import type { GitHubStandIn } from "../server.ts";

const quiet = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };

/** A client with a token (user or installation), or none. */
export const tokenClient = (standIn: GitHubStandIn, token?: string): Octokit =>
  new Octokit({ baseUrl: standIn.url, auth: token, request: { retries: 0 }, log: quiet });

/** A client acting as the user `login`, with a fresh user-to-server token. */
export const userClient = (standIn: GitHubStandIn, login: string): Octokit =>
  tokenClient(standIn, standIn.issueUserToken(login).accessToken);

/** A client authenticating as the App (JWT) or, given an installation id, as that installation. */
export const appClient = (standIn: GitHubStandIn, installationId?: number): Octokit =>
  new Octokit({
    baseUrl: standIn.url,
    authStrategy: createAppAuth,
    auth: {
      appId: standIn.app.id,
      privateKey: standIn.app.privateKeyPkcs8,
      ...(installationId ? { installationId } : {}),
    },
    request: { retries: 0 },
    log: quiet,
  });
