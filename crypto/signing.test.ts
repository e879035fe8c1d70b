import { describe, expect, it } from "vitest";
import { base64url, fromBase64url, randomSecret, sha256Hex, timingSafeEqual } from "./digest.ts";
import { sign, unsign } from "./signing.ts";

describe("signed values", () => {
  it("round-trips a value signed with the same secret", async () => {
    const signed = await sign("aus_123", "secret-a");
    expect(await unsign(signed, "secret-a")).toBe("aus_123");
  });

  it("refuses a value signed with another secret or altered", async () => {
    const signed = await sign("aus_123", "secret-a");
    expect(await unsign(signed, "secret-b")).toBeNull();
    expect(await unsign(signed.replace("aus_123", "aus_124"), "secret-a")).toBeNull();
    expect(await unsign("no-signature", "secret-a")).toBeNull();
    expect(await unsign("aus_1.%%%", "secret-a")).toBeNull();
  });
});

describe("digests and secrets", () => {
  it("hashes to the known SHA-256 of a text", async () => {
    expect(await sha256Hex("abc")).toBe(
      "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
    );
  });

  it("makes distinct prefixed secrets of 256 bits", () => {
    const a = randomSecret("tdm");
    expect(a).toMatch(/^tdm_[A-Za-z0-9_-]{43}$/);
    expect(randomSecret("tdm")).not.toBe(a);
  });

  it("round-trips base64url and rejects other alphabets", () => {
    const bytes = new Uint8Array([0, 250, 251, 252, 253, 254, 255]);
    expect(fromBase64url(base64url(bytes))).toEqual(bytes);
    expect(fromBase64url("a+b/")).toBeNull();
  });

  it("compares strings for equality", () => {
    expect(timingSafeEqual("abc", "abc")).toBe(true);
    expect(timingSafeEqual("abc", "abd")).toBe(false);
    expect(timingSafeEqual("abc", "abcd")).toBe(false);
  });
});
