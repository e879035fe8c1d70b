// Signing in with GitHub: the web flow of a GitHub App (user-to-server tokens) with state and
// PKCE (S256), the code exchange, and refreshing expiring tokens.
import { z } from "zod";
import { base64url } from "../crypto/digest.ts";

/** The verifier kept server-side and the challenge sent to GitHub. */
export interface Pkce {
  verifier: string;
  challenge: string;
}

export async function newPkce(): Promise<Pkce> {
  const verifier = base64url(crypto.getRandomValues(new Uint8Array(48)));
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(verifier));
  return { verifier, challenge: base64url(new Uint8Array(digest)) };
}

/** Where to send the browser to sign in. */
export function authorizeUrl(input: {
  webBaseUrl: string;
  clientId: string;
  redirectUri: string;
  state: string;
  challenge: string;
}): string {
  const url = new URL("/login/oauth/authorize", input.webBaseUrl);
  url.searchParams.set("client_id", input.clientId);
  url.searchParams.set("redirect_uri", input.redirectUri);
  url.searchParams.set("state", input.state);
  url.searchParams.set("code_challenge", input.challenge);
  url.searchParams.set("code_challenge_method", "S256");
  return url.toString();
}

/** A user token as GitHub hands it out; expiring tokens come with a refresh token. */
export interface UserTokens {
  accessToken: string;
  /** Epoch ms, or null for a token that does not expire. */
  expiresAt: number | null;
  refreshToken: string | null;
  refreshExpiresAt: number | null;
}

const TokenAnswerSchema = z.union([
  z.object({
    access_token: z.string().min(1),
    expires_in: z.number().optional(),
    refresh_token: z.string().optional(),
    refresh_token_expires_in: z.number().optional(),
  }),
  z.object({ error: z.string(), error_description: z.string().optional() }),
]);

/** A failure of the OAuth exchange, with GitHub's error code. */
export class OAuthError extends Error {
  override readonly name = "OAuthError";
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.code = code;
  }
}

interface Client {
  webBaseUrl: string;
  clientId: string;
  clientSecret: string;
}

/** Exchanges the callback's code (with the PKCE verifier) for the person's tokens. */
export function exchangeCode(
  client: Client,
  input: { code: string; redirectUri: string; verifier: string },
  nowMs: number,
): Promise<UserTokens> {
  return tokenRequest(
    client,
    {
      grant_type: "authorization_code",
      code: input.code,
      redirect_uri: input.redirectUri,
      code_verifier: input.verifier,
    },
    nowMs,
  );
}

/** Trades a refresh token for fresh tokens (GitHub rotates the refresh token too). */
export function refreshTokens(
  client: Client,
  refreshToken: string,
  nowMs: number,
): Promise<UserTokens> {
  return tokenRequest(client, { grant_type: "refresh_token", refresh_token: refreshToken }, nowMs);
}

async function tokenRequest(
  client: Client,
  fields: Record<string, string>,
  nowMs: number,
): Promise<UserTokens> {
  const response = await fetch(new URL("/login/oauth/access_token", client.webBaseUrl), {
    method: "POST",
    headers: { accept: "application/json", "content-type": "application/json" },
    body: JSON.stringify({
      client_id: client.clientId,
      client_secret: client.clientSecret,
      ...fields,
    }),
  });
  const parsed = TokenAnswerSchema.safeParse(await response.json().catch(() => null));
  if (!response.ok || !parsed.success) {
    throw new OAuthError(
      "bad_response",
      `GitHub answered the token request with ${response.status}.`,
    );
  }
  const answer = parsed.data;
  if ("error" in answer) {
    throw new OAuthError(answer.error, answer.error_description ?? answer.error);
  }
  return {
    accessToken: answer.access_token,
    expiresAt: answer.expires_in ? nowMs + answer.expires_in * 1000 : null,
    refreshToken: answer.refresh_token ?? null,
    refreshExpiresAt: answer.refresh_token_expires_in
      ? nowMs + answer.refresh_token_expires_in * 1000
      : null,
  };
}
