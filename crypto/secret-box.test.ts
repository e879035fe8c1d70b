import { describe, expect, it } from "vitest";
import { SecretBox } from "./secret-box.ts";

const secretA = "a".repeat(40);
const secretB = "b".repeat(40);

describe("the secret box", () => {
  it("seals so the plaintext does not show, and opens in the same context", async () => {
    const box = new SecretBox([secretA]);
    const sealed = await box.seal("ghu_supersecret", "user:usr_1:github");
    expect(sealed).not.toContain("supersecret");
    expect(sealed).toMatch(/^v1\.[0-9a-f]{8}\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
    expect(await box.open(sealed, "user:usr_1:github")).toBe("ghu_supersecret");
    // A fresh IV every time.
    expect(await box.seal("ghu_supersecret", "user:usr_1:github")).not.toBe(sealed);
  });

  it("refuses another context, a tampered value, and garbage", async () => {
    const box = new SecretBox([secretA]);
    const sealed = await box.seal("token", "user:usr_1:github");
    expect(await box.open(sealed, "user:usr_2:github")).toBeNull();
    const parts = sealed.split(".");
    const body = parts[3]!;
    parts[3] = (body[0] === "A" ? "B" : "A") + body.slice(1);
    expect(await box.open(parts.join("."), "user:usr_1:github")).toBeNull();
    expect(await box.open("nonsense", "user:usr_1:github")).toBeNull();
    expect(await box.open("v1.deadbeef.AAAA.AAAA", "user:usr_1:github")).toBeNull();
  });

  it("rotates: the new key seals, the previous one still opens old values", async () => {
    const old = new SecretBox([secretA]);
    const sealedBefore = await old.seal("token", "ctx");
    const rotated = new SecretBox([secretB, secretA]);
    expect(await rotated.open(sealedBefore, "ctx")).toBe("token");
    expect(await rotated.isStale(sealedBefore)).toBe(true);
    const sealedAfter = await rotated.seal("token", "ctx");
    expect(await rotated.isStale(sealedAfter)).toBe(false);
    expect(await old.open(sealedAfter, "ctx")).toBeNull();
  });

  it("refuses short or missing secrets", () => {
    expect(() => new SecretBox([])).toThrow(/at least one/);
    expect(() => new SecretBox(["short"])).toThrow(/32 characters/);
  });
});
