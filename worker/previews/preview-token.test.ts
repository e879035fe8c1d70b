import { describe, expect, it } from "vitest";
import { sign } from "../../crypto/signing.ts";
import {
  GRANT_TTL_MS,
  issueCookie,
  issueGrant,
  PREVIEW_COOKIE_TTL_MS,
  readCookie,
  readGrant,
} from "./preview-token.ts";

const SECRET = "a-test-session-secret-0123456789abcdef";
const target = { sessionId: "ses_01m7z02xjszk708d7v7bqpwad3", port: 3000, userId: "usr_a" };

describe("preview credentials", () => {
  it("binds a link to one session, port and person, for a minute", async () => {
    const token = await issueGrant(target, SECRET, 1_000);
    const claims = await readGrant(token, SECRET, 1_000 + GRANT_TTL_MS - 1);
    expect(claims).toMatchObject({ ...target, expiresAt: 1_000 + GRANT_TTL_MS });
    expect(claims!.nonce.length).toBeGreaterThan(10);
    expect(await readGrant(token, SECRET, 1_000 + GRANT_TTL_MS)).toBeNull();
    // Two links for the same preview differ, so each can be used once.
    expect(
      (await readGrant(await issueGrant(target, SECRET, 1_000), SECRET, 1_000))!.nonce,
    ).not.toBe(claims!.nonce);
  });

  it("refuses forged, altered, foreign and malformed tokens", async () => {
    const token = await issueGrant(target, SECRET, 1_000);
    expect(await readGrant(token, "another-secret-0123456789abcdef0123", 1_000)).toBeNull();
    const [kind, payload, signature] = token.split(".");
    const altered = JSON.stringify([target.sessionId, 3001, target.userId, 1e15, "n"]);
    const alteredPayload = Buffer.from(altered).toString("base64url");
    expect(await readGrant(`${kind}.${alteredPayload}.${signature}`, SECRET, 1_000)).toBeNull();
    expect(await readGrant(`${kind}.${payload}`, SECRET, 1_000)).toBeNull();
    for (const junk of ["", "x", "pvg.", "pvg..", "a".repeat(2_000)])
      expect(await readGrant(junk, SECRET, 1_000)).toBeNull();
    // Correctly signed, but not a preview link: the sign-in cookie's kind of value, or junk JSON.
    expect(
      await readGrant(await sign("aus_01m7z02r0dgte4yapnae7bgtrt", SECRET), SECRET, 0),
    ).toBeNull();
    const notClaims = `pvg.${Buffer.from('{"a":1}').toString("base64url")}`;
    expect(await readGrant(await sign(notClaims, SECRET), SECRET, 0)).toBeNull();
  });

  it("keeps links and cookies apart, and a cookie lasts twelve hours", async () => {
    const link = await issueGrant(target, SECRET, 1_000);
    const grant = (await readGrant(link, SECRET, 1_000))!;
    const cookie = await issueCookie(grant, SECRET, 2_000);
    expect(await readCookie(link, SECRET, 1_000)).toBeNull();
    expect(await readGrant(cookie, SECRET, 2_000)).toBeNull();
    expect(await readCookie(cookie, SECRET, 2_000 + PREVIEW_COOKIE_TTL_MS - 1)).toMatchObject(
      target,
    );
    expect(await readCookie(cookie, SECRET, 2_000 + PREVIEW_COOKIE_TTL_MS)).toBeNull();
  });
});
