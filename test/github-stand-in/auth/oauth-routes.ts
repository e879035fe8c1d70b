// The OAuth web flow of a GitHub App (user-to-server tokens): `GET /login/oauth/authorize`
// approves at once as the named (or default) user and redirects back with a code;
// `POST /login/oauth/access_token` trades the code (checking the client secret, the redirect URI
// and the PKCE verifier) or a refresh token for tokens. Errors come back with 200, as GitHub sends.
import { createHash, randomBytes } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { StandInContext } from "../context.ts";
import type { RecordedRequest } from "../records.ts";
import { readBody, sendJson } from "../../support/http.ts";
import { findAccount } from "../state/world.ts";
import type { UserTokenPair } from "./tokens.ts";

/** An authorization code lives ten minutes, as GitHub's do. */
const CODE_LIFETIME_MS = 10 * 60 * 1000;
const ERROR_DOCS =
  "https://docs.github.com/apps/managing-oauth-apps/troubleshooting-oauth-app-access-token-request-errors";

interface PendingCode {
  login: string;
  redirectUri: string;
  codeChallenge: string | null;
  expiresAtMs: number;
}

const ERRORS = {
  incorrect_client_credentials: "The client_id and/or client_secret passed are incorrect.",
  bad_verification_code: "The code passed is incorrect or expired.",
  redirect_uri_mismatch:
    "The redirect_uri MUST match the registered callback URL for this application.",
  unsupported_grant_type: "The grant type is not supported.",
  bad_refresh_token: "The refresh token passed is incorrect or expired.",
} as const;

type OAuthError = keyof typeof ERRORS;

function errorPage(res: ServerResponse, status: number, text: string): void {
  const escaped = text.replace(/[&<>"]/g, (char) => `&#${char.charCodeAt(0)};`);
  res.writeHead(status, { "content-type": "text/html; charset=utf-8" });
  res.end(
    `<!doctype html><title>GitHub stand-in</title><h1>GitHub stand-in</h1><p>${escaped}</p>\n`,
  );
}

/** base64url(SHA-256(verifier)): the S256 code challenge. */
export const s256 = (verifier: string): string =>
  createHash("sha256").update(verifier).digest("base64url");

/** The OAuth routes of one stand-in; `serve` answers false for other paths. */
export function createOAuth(ctx: StandInContext) {
  const codes = new Map<string, PendingCode>();

  function authorize(res: ServerResponse, url: URL, record: RecordedRequest): number {
    const { world } = ctx;
    const query = url.searchParams;
    if (query.get("client_id") !== world.app.clientId) {
      errorPage(res, 404, `No application has the client_id "${query.get("client_id") ?? ""}".`);
      return 404;
    }
    const redirectUri = query.get("redirect_uri") ?? world.app.callbackUrl;
    if (!redirectUri || !/^https?:\/\//.test(redirectUri)) {
      errorPage(res, 400, "The redirect_uri is missing or is not an http(s) URL.");
      return 400;
    }
    const challenge = query.get("code_challenge");
    const challengeMethod = query.get("code_challenge_method");
    if (challenge && challengeMethod !== "S256") {
      errorPage(res, 400, "code_challenge_method must be S256.");
      return 400;
    }
    const login = query.get("login") ?? world.defaultLogin;
    const user = findAccount(world, login);
    if (!user || user.type !== "User") {
      errorPage(res, 404, `No user "${login}" to sign in as.`);
      return 404;
    }
    record.identity = { kind: "user", login: user.login };
    const code = randomBytes(10).toString("hex");
    codes.set(code, {
      login: user.login,
      redirectUri,
      codeChallenge: challenge,
      expiresAtMs: world.clock.nowMs() + CODE_LIFETIME_MS,
    });
    const target = new URL(redirectUri);
    target.searchParams.set("code", code);
    const state = query.get("state");
    if (state !== null) target.searchParams.set("state", state);
    res.writeHead(302, { location: target.toString() });
    res.end();
    return 302;
  }

  function exchange(fields: URLSearchParams): { error: OAuthError } | { tokens: UserTokenPair } {
    const { app } = ctx.world;
    if (
      fields.get("client_id") !== app.clientId ||
      fields.get("client_secret") !== app.clientSecret
    )
      return { error: "incorrect_client_credentials" };
    const grantType = fields.get("grant_type") ?? "authorization_code";
    if (grantType === "refresh_token") {
      const result = ctx.tokens.refresh(fields.get("refresh_token") ?? "");
      return typeof result === "string" ? { error: "bad_refresh_token" } : { tokens: result };
    }
    if (grantType !== "authorization_code") return { error: "unsupported_grant_type" };
    const code = fields.get("code") ?? "";
    const pending = codes.get(code);
    codes.delete(code);
    if (!pending || pending.expiresAtMs <= ctx.world.clock.nowMs())
      return { error: "bad_verification_code" };
    const redirectUri = fields.get("redirect_uri");
    if (redirectUri !== null && redirectUri !== pending.redirectUri)
      return { error: "redirect_uri_mismatch" };
    if (pending.codeChallenge) {
      const verifier = fields.get("code_verifier");
      if (!verifier || s256(verifier) !== pending.codeChallenge)
        return { error: "bad_verification_code" };
    }
    return { tokens: ctx.tokens.issueUser(pending.login) };
  }

  async function accessToken(
    req: IncomingMessage,
    res: ServerResponse,
    url: URL,
    record: RecordedRequest,
  ): Promise<number> {
    const raw = ((await readBody(req, 1024 * 1024)) ?? Buffer.alloc(0)).toString("utf8");
    const fields = new URLSearchParams(url.search);
    if ((req.headers["content-type"] ?? "").includes("application/json")) {
      try {
        for (const [key, value] of Object.entries(
          JSON.parse(raw || "{}") as Record<string, unknown>,
        ))
          if (value !== undefined && value !== null) fields.set(key, String(value));
      } catch {
        // GitHub answers a body it cannot read like a request without credentials.
      }
    } else {
      for (const [key, value] of new URLSearchParams(raw)) fields.set(key, value);
    }
    const outcome = exchange(fields);
    if (!("error" in outcome) || outcome.error !== "incorrect_client_credentials")
      record.identity = { kind: "app", appId: ctx.world.app.id };
    const answer: Record<string, string | number> =
      "error" in outcome
        ? {
            error: outcome.error,
            error_description: ERRORS[outcome.error],
            error_uri: `${ERROR_DOCS}#${outcome.error.replaceAll("_", "-")}`,
          }
        : {
            access_token: outcome.tokens.accessToken,
            expires_in: outcome.tokens.expiresIn,
            refresh_token: outcome.tokens.refreshToken,
            refresh_token_expires_in: outcome.tokens.refreshTokenExpiresIn,
            token_type: "bearer",
            scope: "",
          };
    if ("error" in outcome)
      ctx.log(`github stand-in: OAuth token request refused: ${outcome.error}`);
    if ((req.headers.accept ?? "").includes("application/json")) {
      sendJson(res, 200, answer);
    } else {
      const form = new URLSearchParams(
        Object.entries(answer).map(([key, value]) => [key, String(value)]),
      );
      res.writeHead(200, { "content-type": "application/x-www-form-urlencoded; charset=utf-8" });
      res.end(form.toString());
    }
    return 200;
  }

  return {
    /** Answers the two OAuth paths; false for any other. */
    async serve(req: IncomingMessage, res: ServerResponse, url: URL): Promise<boolean> {
      const isAuthorize = url.pathname === "/login/oauth/authorize" && req.method === "GET";
      const isToken = url.pathname === "/login/oauth/access_token" && req.method === "POST";
      if (!isAuthorize && !isToken) return false;
      const record = ctx.records.start({
        surface: "oauth",
        method: req.method ?? "GET",
        path: isAuthorize ? url.pathname + url.search : url.pathname,
        operation: isAuthorize ? "oauth/authorize" : "oauth/access-token",
        identity: { kind: "none" },
        tokenKind: null,
        body: null,
        receivedAt: Date.now(),
      });
      record.status = isAuthorize
        ? authorize(res, url, record)
        : await accessToken(req, res, url, record);
      return true;
    },
  };
}
