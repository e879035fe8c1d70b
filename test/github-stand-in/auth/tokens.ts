// The tokens the stand-in issues: user-to-server (`ghu_`, with a `ghr_` refresh token) and
// installation (`ghs_`), each with an expiry on the stand-in's clock.
import { randomBytes } from "node:crypto";
import type { AccessLevel, Clock } from "../state/world.ts";

/** How long tokens live, in seconds. GitHub's values are the defaults. */
export interface TokenLifetimes {
  userTokenSeconds: number;
  refreshTokenSeconds: number;
  installationTokenSeconds: number;
}

/** GitHub's token lifetimes. */
export const GITHUB_LIFETIMES: TokenLifetimes = {
  userTokenSeconds: 8 * 60 * 60,
  refreshTokenSeconds: 15_811_200,
  installationTokenSeconds: 60 * 60,
};

/** A user-to-server token's grant. */
export interface UserGrant {
  kind: "user";
  login: string;
  expiresAtMs: number;
}

/** An installation token's grant, possibly narrowed to some repositories and permissions. */
export interface InstallationGrant {
  kind: "installation";
  installationId: number;
  expiresAtMs: number;
  /** Null: every repository of the installation. */
  repoIds: Set<number> | null;
  permissions: Record<string, AccessLevel>;
}

/** What a token stands for. */
export type Grant = UserGrant | InstallationGrant;

/** A fresh user token pair, in the token endpoint's terms. */
export interface UserTokenPair {
  accessToken: string;
  expiresIn: number;
  refreshToken: string;
  refreshTokenExpiresIn: number;
}

/** What a token lookup found. */
export type Lookup = { status: "valid"; grant: Grant } | { status: "expired" | "unknown" };

const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

/** `prefix` and `length` random base62 characters, as GitHub's tokens look. */
export function randomToken(prefix: string, length: number): string {
  const bytes = randomBytes(length);
  let out = prefix;
  for (const byte of bytes) out += ALPHABET[byte % ALPHABET.length];
  return out;
}

/** The token store. */
export interface Tokens {
  issueUser(login: string): UserTokenPair;
  /** Trades a refresh token for a new pair; the old refresh token stops working. */
  refresh(refreshToken: string): UserTokenPair | "expired" | "unknown";
  issueInstallation(grant: Omit<InstallationGrant, "kind" | "expiresAtMs">): {
    token: string;
    expiresAtMs: number;
  };
  lookup(token: string): Lookup;
  /** Makes the user tokens (and refresh tokens, when asked) of one login, or of all, expired. */
  expireUserTokens(login?: string, refreshTokensToo?: boolean): number;
}

/** An empty store on `clock`. */
export function createTokens(clock: Clock, lifetimes: TokenLifetimes): Tokens {
  const grants = new Map<string, Grant>();
  const refreshes = new Map<string, { login: string; expiresAtMs: number }>();

  const issueUser = (login: string): UserTokenPair => {
    const now = clock.nowMs();
    const accessToken = randomToken("ghu_", 36);
    const refreshToken = randomToken("ghr_", 76);
    grants.set(accessToken, {
      kind: "user",
      login,
      expiresAtMs: now + lifetimes.userTokenSeconds * 1000,
    });
    refreshes.set(refreshToken, {
      login,
      expiresAtMs: now + lifetimes.refreshTokenSeconds * 1000,
    });
    return {
      accessToken,
      expiresIn: lifetimes.userTokenSeconds,
      refreshToken,
      refreshTokenExpiresIn: lifetimes.refreshTokenSeconds,
    };
  };

  return {
    issueUser,
    refresh(refreshToken) {
      const found = refreshes.get(refreshToken);
      if (!found) return "unknown";
      refreshes.delete(refreshToken);
      if (found.expiresAtMs <= clock.nowMs()) return "expired";
      return issueUser(found.login);
    },
    issueInstallation(grant) {
      const token = randomToken("ghs_", 36);
      const expiresAtMs = clock.nowMs() + lifetimes.installationTokenSeconds * 1000;
      grants.set(token, { kind: "installation", expiresAtMs, ...grant });
      return { token, expiresAtMs };
    },
    lookup(token) {
      const grant = grants.get(token);
      if (!grant) return { status: "unknown" };
      if (grant.expiresAtMs <= clock.nowMs()) return { status: "expired" };
      return { status: "valid", grant };
    },
    expireUserTokens(login, refreshTokensToo = false) {
      const now = clock.nowMs();
      const matches = (who: string) =>
        login === undefined || who.toLowerCase() === login.toLowerCase();
      let count = 0;
      for (const grant of grants.values())
        if (grant.kind === "user" && matches(grant.login) && grant.expiresAtMs > now) {
          grant.expiresAtMs = now;
          count += 1;
        }
      if (refreshTokensToo)
        for (const entry of refreshes.values()) if (matches(entry.login)) entry.expiresAtMs = now;
      return count;
    },
  };
}
