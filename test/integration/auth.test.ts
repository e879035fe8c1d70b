import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { sha256Hex } from "../../crypto/digest.ts";
import { ORIGIN, request, signUp } from "./helpers.ts";

async function signIn(token: string): Promise<string> {
  const response = await request("/api/auth/session", {
    method: "POST",
    headers: { "Content-Type": "application/json", Origin: ORIGIN },
    body: JSON.stringify({ token }),
  });
  expect(response.status).toBe(200);
  const cookie = response.headers.get("Set-Cookie")!;
  expect(cookie).toMatch(/HttpOnly/i);
  expect(cookie).toMatch(/SameSite=Lax/i);
  return cookie.split(";")[0]!;
}

describe("authentication", () => {
  it("answers unauthenticated requests with a typed 401", async () => {
    const response = await request("/api/auth/me");
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({
      error: { code: "unauthenticated", message: "Sign in first." },
    });
  });

  it("accepts a personal API token and refuses a made-up one", async () => {
    const alice = await signUp("alice-auth");
    const me = await alice.api("/api/auth/me");
    expect(me.status).toBe(200);
    expect(await me.json()).toMatchObject({ user: { login: "alice-auth" }, via: "token" });
    const forged = await request("/api/auth/me", {
      headers: { Authorization: "Bearer tdm_forged" },
    });
    expect(forged.status).toBe(401);
  });

  it("stores tokens only as hashes", async () => {
    const person = await signUp();
    const rows = await env.DB.prepare("SELECT token_hash FROM api_tokens WHERE user_id = ?")
      .bind(person.user.id)
      .all();
    expect(rows.results).toEqual([{ token_hash: await sha256Hex(person.token) }]);
    const dump = JSON.stringify((await env.DB.prepare("SELECT * FROM api_tokens").all()).results);
    expect(dump).not.toContain(person.token);
  });

  it("stops accepting a token once it is revoked", async () => {
    const person = await signUp();
    const created = await person.api("/api/auth/tokens", { body: { name: "laptop" } });
    expect(created.status).toBe(201);
    const { token, id } = (await created.json()) as { token: string; id: string };
    const listed = (await (await person.api("/api/auth/tokens")).json()) as {
      tokens: { id: string }[];
    };
    expect(listed.tokens.map((t) => t.id)).toContain(id);
    expect(JSON.stringify(listed)).not.toContain(token);
    expect(
      (await request("/api/auth/me", { headers: { Authorization: `Bearer ${token}` } })).status,
    ).toBe(200);
    expect((await person.api(`/api/auth/tokens/${id}`, { method: "DELETE" })).status).toBe(204);
    expect(
      (await request("/api/auth/me", { headers: { Authorization: `Bearer ${token}` } })).status,
    ).toBe(401);
  });

  it("signs a browser in with an HttpOnly cookie and out again", async () => {
    const person = await signUp();
    const cookie = await signIn(person.token);
    const me = await request("/api/auth/me", { headers: { Cookie: cookie } });
    expect(await me.json()).toMatchObject({ via: "cookie", user: { userId: person.user.id } });
    const out = await request("/api/auth/session", {
      method: "DELETE",
      headers: { Cookie: cookie, Origin: ORIGIN },
    });
    expect(out.status).toBe(204);
    expect((await request("/api/auth/me", { headers: { Cookie: cookie } })).status).toBe(401);
  });

  it("refuses a tampered cookie", async () => {
    const person = await signUp();
    const cookie = await signIn(person.token);
    const tampered = cookie.replace(/aus_(.)/, (_, ch: string) => `aus_${ch === "0" ? "1" : "0"}`);
    expect((await request("/api/auth/me", { headers: { Cookie: tampered } })).status).toBe(401);
  });

  it("refuses cookie-authenticated state changes from another site", async () => {
    const person = await signUp();
    const cookie = await signIn(person.token);
    const body = JSON.stringify({ repo: "acme/widgets", title: "x" });
    const headers = { Cookie: cookie, "Content-Type": "application/json" };
    const foreign = await request("/api/sessions", {
      method: "POST",
      headers: { ...headers, Origin: "https://evil.example" },
      body,
    });
    expect(foreign.status).toBe(403);
    expect(await foreign.json()).toMatchObject({ error: { code: "csrf_rejected" } });
    const own = await request("/api/sessions", {
      method: "POST",
      headers: { ...headers, Origin: ORIGIN },
      body,
    });
    expect(own.status).toBe(201);
  });
});
