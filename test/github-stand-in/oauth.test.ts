// The OAuth web flow for user-to-server tokens: authorize with PKCE, the code exchange (plain fetch
// and @octokit/oauth-methods), refresh, expiry, and GitHub's error answers.
import { createHash, randomBytes } from "node:crypto";
import { exchangeWebFlowCode, refreshToken } from "@octokit/oauth-methods";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { startGitHubStandIn, type GitHubStandIn } from "./server.ts";
import { tokenClient } from "./testing/octokit.ts";

let standIn: GitHubStandIn;
const REDIRECT = "http://127.0.0.1:9/auth/callback";

beforeAll(async () => {
  standIn = await startGitHubStandIn({ users: [{ login: "demo" }, { login: "alice" }] });
});
afterEach(() => {
  expect(standIn.violations()).toEqual([]);
});
afterAll(() => standIn.stop());

const verifierPair = () => {
  const verifier = randomBytes(32).toString("base64url");
  return { verifier, challenge: createHash("sha256").update(verifier).digest("base64url") };
};

/** Follows the authorize URL as a browser would (without following the redirect). */
async function authorize(params: Record<string, string>): Promise<Response> {
  const url = new URL("/login/oauth/authorize", standIn.url);
  for (const [key, value] of Object.entries(params)) url.searchParams.set(key, value);
  return fetch(url, { redirect: "manual" });
}

async function codeFor(login: string | null, challenge?: string): Promise<string> {
  const response = await authorize({
    client_id: standIn.app.clientId,
    redirect_uri: REDIRECT,
    state: "st4te",
    ...(challenge ? { code_challenge: challenge, code_challenge_method: "S256" } : {}),
    ...(login ? { login } : {}),
  });
  expect(response.status).toBe(302);
  const location = new URL(response.headers.get("location")!);
  expect(`${location.origin}${location.pathname}`).toBe(REDIRECT);
  expect(location.searchParams.get("state")).toBe("st4te");
  return location.searchParams.get("code")!;
}

async function exchange(fields: Record<string, string>): Promise<Record<string, unknown>> {
  const response = await fetch(new URL("/login/oauth/access_token", standIn.url), {
    method: "POST",
    headers: { accept: "application/json", "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(fields),
  });
  expect(response.status).toBe(200);
  return (await response.json()) as Record<string, unknown>;
}

const secretFields = () => ({
  client_id: standIn.app.clientId,
  client_secret: standIn.app.clientSecret,
});

describe("the OAuth web flow", () => {
  it("signs in the named user with PKCE and issues expiring ghu_/ghr_ tokens", async () => {
    const { verifier, challenge } = verifierPair();
    const code = await codeFor("alice", challenge);
    const tokens = await exchange({
      ...secretFields(),
      code,
      redirect_uri: REDIRECT,
      code_verifier: verifier,
      grant_type: "authorization_code",
    });
    expect(tokens).toEqual({
      access_token: expect.stringMatching(/^ghu_[A-Za-z0-9]{36}$/),
      expires_in: 28800,
      refresh_token: expect.stringMatching(/^ghr_[A-Za-z0-9]{76}$/),
      refresh_token_expires_in: 15811200,
      token_type: "bearer",
      scope: "",
    });
    const { data } = await tokenClient(
      standIn,
      String(tokens.access_token),
    ).users.getAuthenticated();
    expect(data.login).toBe("alice");
    expect(standIn.requests({ operation: "oauth/authorize" }).at(-1)).toMatchObject({
      identity: { kind: "user", login: "alice" },
      status: 302,
    });
  });

  it("answers a wrong PKCE verifier with bad_verification_code, and the code is spent", async () => {
    const { challenge } = verifierPair();
    const code = await codeFor(null, challenge);
    const wrong = await exchange({
      ...secretFields(),
      code,
      code_verifier: verifierPair().verifier,
    });
    expect(wrong).toMatchObject({
      error: "bad_verification_code",
      error_description: expect.any(String),
    });
    expect(await exchange({ ...secretFields(), code })).toMatchObject({
      error: "bad_verification_code",
    });
    const missing = await exchange({ ...secretFields(), code: await codeFor(null, challenge) });
    expect(missing).toMatchObject({ error: "bad_verification_code" });
  });

  it("answers a wrong secret or redirect URI in GitHub's error shape", async () => {
    const code = await codeFor(null);
    expect(
      await exchange({ client_id: standIn.app.clientId, client_secret: "wrong", code }),
    ).toMatchObject({
      error: "incorrect_client_credentials",
    });
    expect(
      await exchange({
        ...secretFields(),
        code: await codeFor(null),
        redirect_uri: "http://127.0.0.1:9/elsewhere",
      }),
    ).toMatchObject({
      error: "redirect_uri_mismatch",
    });
  });

  it("refuses an unknown client_id with an error page", async () => {
    const response = await authorize({ client_id: "Iv23nobody", redirect_uri: REDIRECT });
    expect(response.status).toBe(404);
    expect(await response.text()).toContain("GitHub stand-in");
  });

  it("works with @octokit/oauth-methods, signing in the default user", async () => {
    const exchanged = await exchangeWebFlowCode({
      clientType: "github-app",
      ...{ clientId: standIn.app.clientId, clientSecret: standIn.app.clientSecret },
      code: await codeFor(null),
      redirectUrl: REDIRECT,
      request: tokenClient(standIn).request,
    });
    expect(exchanged.authentication).toMatchObject({
      token: expect.stringMatching(/^ghu_/),
      refreshToken: expect.stringMatching(/^ghr_/),
    });
    const me = await tokenClient(standIn, exchanged.authentication.token).users.getAuthenticated();
    expect(me.data.login).toBe("demo");
  });

  it("answers in form encoding when JSON is not asked for", async () => {
    const response = await fetch(new URL("/login/oauth/access_token", standIn.url), {
      method: "POST",
      body: new URLSearchParams({ ...secretFields(), code: await codeFor(null) }),
    });
    const fields = new URLSearchParams(await response.text());
    expect(fields.get("access_token")).toMatch(/^ghu_/);
    expect(fields.get("token_type")).toBe("bearer");
  });
});

describe("expiry and refresh", () => {
  it("refuses an expired user token with 401 and trades the refresh token for a new pair once", async () => {
    const tokens = await exchange({ ...secretFields(), code: await codeFor("alice") });
    standIn.expireUserTokens("alice");
    await expect(
      tokenClient(standIn, String(tokens.access_token)).users.getAuthenticated(),
    ).rejects.toMatchObject({
      status: 401,
      response: { data: { message: "Bad credentials" } },
    });
    const refreshed = await refreshToken({
      clientType: "github-app",
      clientId: standIn.app.clientId,
      clientSecret: standIn.app.clientSecret,
      refreshToken: String(tokens.refresh_token),
      request: tokenClient(standIn).request,
    });
    expect(refreshed.data.expires_in).toBe(28800);
    expect(
      (await tokenClient(standIn, refreshed.authentication.token).users.getAuthenticated()).data
        .login,
    ).toBe("alice");
    expect(
      await exchange({
        ...secretFields(),
        grant_type: "refresh_token",
        refresh_token: String(tokens.refresh_token),
      }),
    ).toMatchObject({
      error: "bad_refresh_token",
    });
  });

  it("lets user tokens run out on the stand-in's clock after expires_in", async () => {
    const short = await startGitHubStandIn({ repos: [], expiresInSeconds: 60 });
    try {
      const pair = short.issueUserToken("demo");
      expect(pair.expiresIn).toBe(60);
      expect((await tokenClient(short, pair.accessToken).users.getAuthenticated()).status).toBe(
        200,
      );
      short.advanceClock(61);
      await expect(
        tokenClient(short, pair.accessToken).users.getAuthenticated(),
      ).rejects.toMatchObject({ status: 401 });
    } finally {
      await short.stop();
    }
  });
});
