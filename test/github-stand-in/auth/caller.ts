// Who is calling: the credential in a request's Authorization header, checked and turned into an
// identity (a user, the App, one of its installations, or nobody).
import type { World } from "../state/world.ts";
import { appJwtProblem } from "./app-jwt.ts";
import type { Grant, Tokens } from "./tokens.ts";

/** On whose behalf a request acts. */
export type Identity =
  | { kind: "none" }
  | { kind: "user"; login: string }
  | { kind: "app"; appId: number }
  | { kind: "installation"; installationId: number; appId: number };

/** The kind of credential presented. */
export type TokenKind = "user-to-server" | "installation" | "app-jwt";

/** A checked credential. */
export interface Caller {
  identity: Identity;
  /** What the credential was, or "invalid" when it was refused; null when there was none. */
  tokenKind: TokenKind | "invalid" | null;
  /** The token's grant (user or installation tokens). */
  grant: Grant | null;
  /** Why the credential was refused (GitHub answers 401); null when accepted or absent. */
  refused: string | null;
}

/** A request without a credential. */
export const NOBODY: Caller = {
  identity: { kind: "none" },
  tokenKind: null,
  grant: null,
  refused: null,
};

const refused = (reason: string): Caller => ({
  identity: { kind: "none" },
  tokenKind: "invalid",
  grant: null,
  refused: reason,
});

/** Checks a bare token: a `ghu_`/`ghs_` token from the store, or (when `jwtAllowed`) an App JWT. */
export function callerFromToken(
  world: World,
  tokens: Tokens,
  token: string,
  jwtAllowed: boolean,
): Caller {
  if (jwtAllowed && /^eyJ[\w-]*\.[\w-]+\.[\w-]+$/.test(token)) {
    const problem = appJwtProblem(token, world.app, world.clock.nowMs());
    if (problem) return refused(problem);
    return {
      identity: { kind: "app", appId: world.app.id },
      tokenKind: "app-jwt",
      grant: null,
      refused: null,
    };
  }
  const found = tokens.lookup(token);
  if (found.status !== "valid") return refused("Bad credentials");
  const { grant } = found;
  if (grant.kind === "user")
    return {
      identity: { kind: "user", login: grant.login },
      tokenKind: "user-to-server",
      grant,
      refused: null,
    };
  return {
    identity: { kind: "installation", installationId: grant.installationId, appId: world.app.id },
    tokenKind: "installation",
    grant,
    refused: null,
  };
}

/** The REST API's credential: `Authorization: Bearer <token>` or `token <token>`. */
export function restCaller(world: World, tokens: Tokens, header: string | undefined): Caller {
  if (!header) return NOBODY;
  const match = /^(Bearer|token)\s+(\S+)\s*$/i.exec(header);
  if (!match) return refused("Bad credentials");
  const jwtAllowed = match[1]!.toLowerCase() === "bearer";
  return callerFromToken(world, tokens, match[2]!, jwtAllowed);
}

/** Git's credential: HTTP Basic with the token as the password (user name `x-access-token`). */
export function gitCaller(world: World, tokens: Tokens, header: string | undefined): Caller {
  if (!header) return NOBODY;
  const match = /^Basic\s+(\S+)\s*$/i.exec(header);
  if (!match)
    return refused(
      "Invalid username or token. Password authentication is not supported for Git operations.",
    );
  const decoded = Buffer.from(match[1]!, "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  const user = colon < 0 ? decoded : decoded.slice(0, colon);
  const password = colon < 0 ? "" : decoded.slice(colon + 1);
  const caller = callerFromToken(world, tokens, password || user, false);
  return caller.refused
    ? refused(
        "Invalid username or token. Password authentication is not supported for Git operations.",
      )
    : caller;
}

/** A short description of an identity for logs and records: `alice`, `app 1`, `installation 3`. */
export function describeIdentity(identity: Identity): string {
  switch (identity.kind) {
    case "none":
      return "nobody";
    case "user":
      return identity.login;
    case "app":
      return `app ${identity.appId}`;
    case "installation":
      return `installation ${identity.installationId}`;
    default:
      return identity satisfies never;
  }
}
