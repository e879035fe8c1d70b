// GitHub as the platform uses it: the REST client, the App's installation tokens minted per
// operation, and people's sealed user tokens refreshed before use. Built once per configuration.
import { and, eq } from "drizzle-orm";
import { SecretBox } from "../crypto/secret-box.ts";
import { githubAccounts } from "../worker/db/github.sql.ts";
import type { Database } from "../worker/db/database.ts";
import { GitHubApi, type GitHubUser } from "./api.ts";
import { appJwt, importAppKey } from "./app-jwt.ts";
import type { GitHubConfig } from "./config.ts";
import { refreshTokens, type UserTokens } from "./oauth.ts";

/** Refresh a user token this long before it expires. */
const REFRESH_MARGIN_MS = 5 * 60_000;

/** A credential for one git operation, in the form git askpass takes. */
export interface GitCredential {
  username: string;
  password: string;
}

export class GitHub {
  readonly config: GitHubConfig;
  readonly api: GitHubApi;
  private readonly box: SecretBox;
  private readonly db: Database;
  private readonly now: () => number;
  private key: Promise<CryptoKey> | null = null;

  constructor(config: GitHubConfig, db: Database, now: () => number) {
    this.config = config;
    this.api = new GitHubApi(config.apiBaseUrl);
    this.box = new SecretBox(config.encryptionSecrets);
    this.db = db;
    this.now = now;
  }

  /** A JWT for the App itself. */
  async appJwt(): Promise<string> {
    this.key ??= importAppKey(this.config.privateKeyPem);
    return appJwt(this.config.appId, await this.key, this.now());
  }

  /**
   * A short-lived installation token for one repository and one operation (clone, build, push),
   * or null when the App is not installed on it.
   */
  async installationToken(
    repo: string,
    permissions: Record<string, "read" | "write"> = { contents: "read" },
  ): Promise<string | null> {
    const [owner, name] = repo.split("/") as [string, string];
    const jwt = await this.appJwt();
    const installation = await this.api.repositoryInstallation(jwt, owner, name);
    if (!installation) return null;
    const { token } = await this.api.installationToken(jwt, installation.id, {
      repositories: [name],
      permissions,
    });
    return token;
  }

  /** A credential for one clone or fetch of `repo`, or null when the App is not installed on it. */
  async cloneCredential(repo: string): Promise<GitCredential | null> {
    const token = await this.installationToken(repo, { contents: "read" });
    return token ? GitHub.gitCredential(token) : null;
  }

  /** The git credential for an installation token. */
  static gitCredential(token: string): GitCredential {
    return { username: "x-access-token", password: token };
  }

  /** Keeps a person's GitHub identity and tokens, sealed. */
  async saveAccount(userId: string, user: GitHubUser, tokens: UserTokens): Promise<void> {
    const row = {
      userId,
      githubId: user.id,
      login: user.login,
      ...(await this.sealTokens(userId, tokens)),
      updatedAt: this.now(),
    };
    await this.db
      .insert(githubAccounts)
      .values(row)
      .onConflictDoUpdate({ target: githubAccounts.userId, set: row })
      .run();
  }

  /** The Tandem user linked to a GitHub account id, if any. */
  async userIdOf(githubId: number): Promise<string | null> {
    const row = await this.db
      .select({ userId: githubAccounts.userId })
      .from(githubAccounts)
      .where(eq(githubAccounts.githubId, githubId))
      .get();
    return row?.userId ?? null;
  }

  /** The address GitHub attributes commits to for a linked account that keeps its email private. */
  async noreplyEmail(userId: string): Promise<string | null> {
    const row = await this.db
      .select({ githubId: githubAccounts.githubId, login: githubAccounts.login })
      .from(githubAccounts)
      .where(eq(githubAccounts.userId, userId))
      .get();
    return row ? `${row.githubId}+${row.login}@users.noreply.github.com` : null;
  }

  /** Whether a Tandem person has linked a GitHub account. */
  async hasAccount(userId: string): Promise<boolean> {
    const row = await this.db
      .select({ userId: githubAccounts.userId })
      .from(githubAccounts)
      .where(eq(githubAccounts.userId, userId))
      .get();
    return row !== undefined;
  }

  /**
   * The person's user token, refreshed when it is about to expire; null when they never signed in
   * with GitHub or the token can no longer be used (they must sign in again).
   */
  async userToken(userId: string): Promise<string | null> {
    const row = await this.db
      .select()
      .from(githubAccounts)
      .where(eq(githubAccounts.userId, userId))
      .get();
    if (!row) return null;
    const now = this.now();
    if (row.accessExpiresAt === null || row.accessExpiresAt - REFRESH_MARGIN_MS > now) {
      return this.box.open(row.accessSealed, context(userId, "access"));
    }
    const refresh = row.refreshSealed
      ? await this.box.open(row.refreshSealed, context(userId, "refresh"))
      : null;
    if (!refresh || (row.refreshExpiresAt !== null && row.refreshExpiresAt <= now)) return null;
    const tokens = await refreshTokens(this.config, refresh, now).catch(() => null);
    if (!tokens) return null;
    // GitHub rotates the refresh token; a concurrent refresh that lost keeps the row it finds.
    await this.db
      .update(githubAccounts)
      .set({ ...(await this.sealTokens(userId, tokens)), updatedAt: now })
      .where(and(eq(githubAccounts.userId, userId), eq(githubAccounts.updatedAt, row.updatedAt)))
      .run();
    return tokens.accessToken;
  }

  private async sealTokens(userId: string, tokens: UserTokens) {
    return {
      accessSealed: await this.box.seal(tokens.accessToken, context(userId, "access")),
      accessExpiresAt: tokens.expiresAt,
      refreshSealed: tokens.refreshToken
        ? await this.box.seal(tokens.refreshToken, context(userId, "refresh"))
        : null,
      refreshExpiresAt: tokens.refreshExpiresAt,
    };
  }
}

const context = (userId: string, kind: "access" | "refresh") => `github:${userId}:${kind}`;
