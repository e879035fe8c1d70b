import { generateKeyPairSync, createVerify } from "node:crypto";
import { describe, expect, it } from "vitest";
import { fromBase64url } from "../crypto/digest.ts";
import { appJwt, importAppKey } from "./app-jwt.ts";
import { authorizeUrl, newPkce } from "./oauth.ts";
import { verifyWebhookSignature, webhookSignature } from "./webhook-signature.ts";

describe("the App's JWT", () => {
  it("is RS256, issued by the App, valid for under ten minutes, and verifies with its public key", async () => {
    const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
    const pem = privateKey.export({ type: "pkcs8", format: "pem" }).toString();
    const now = Date.UTC(2026, 10, 21, 12, 0, 0);
    const jwt = await appJwt("12345", await importAppKey(pem), now);
    const [header, payload, signature] = jwt.split(".");
    const decode = (part: string) => JSON.parse(new TextDecoder().decode(fromBase64url(part)!));
    expect(decode(header!)).toEqual({ alg: "RS256", typ: "JWT" });
    const claims = decode(payload!);
    expect(claims.iss).toBe("12345");
    expect(claims.exp - claims.iat).toBeLessThanOrEqual(600);
    expect(claims.iat).toBeLessThan(now / 1000);
    const verifier = createVerify("RSA-SHA256");
    verifier.update(`${header}.${payload}`);
    expect(verifier.verify(publicKey, Buffer.from(fromBase64url(signature!)!))).toBe(true);
  });

  it("says how to convert a PKCS#1 key", async () => {
    const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
    const pkcs1 = privateKey.export({ type: "pkcs1", format: "pem" }).toString();
    await expect(importAppKey(pkcs1)).rejects.toThrow(/openssl pkcs8 -topk8/);
  });
});

describe("webhook signatures", () => {
  it("accepts GitHub's signature of the raw body and refuses anything else", async () => {
    const body = new TextEncoder().encode('{"action":"opened"}');
    const signature = await webhookSignature("hook-secret", body);
    expect(signature).toMatch(/^sha256=[0-9a-f]{64}$/);
    expect(await verifyWebhookSignature("hook-secret", body, signature)).toBe(true);
    expect(await verifyWebhookSignature("other-secret", body, signature)).toBe(false);
    expect(
      await verifyWebhookSignature("hook-secret", new TextEncoder().encode("{}"), signature),
    ).toBe(false);
    expect(await verifyWebhookSignature("hook-secret", body, null)).toBe(false);
    expect(await verifyWebhookSignature("hook-secret", body, "sha1=abc")).toBe(false);
  });
});

describe("the sign-in flow", () => {
  it("sends state and an S256 challenge that matches the kept verifier", async () => {
    const pkce = await newPkce();
    expect(pkce.verifier.length).toBeGreaterThanOrEqual(43);
    const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(pkce.verifier));
    expect(fromBase64url(pkce.challenge)).toEqual(new Uint8Array(digest));
    const url = new URL(
      authorizeUrl({
        webBaseUrl: "https://github.com",
        clientId: "Iv1.abc",
        redirectUri: "https://tandem.example/api/auth/github/callback",
        state: "st",
        challenge: pkce.challenge,
      }),
    );
    expect(url.pathname).toBe("/login/oauth/authorize");
    expect(Object.fromEntries(url.searchParams)).toEqual({
      client_id: "Iv1.abc",
      redirect_uri: "https://tandem.example/api/auth/github/callback",
      state: "st",
      code_challenge: pkce.challenge,
      code_challenge_method: "S256",
    });
  });
});
