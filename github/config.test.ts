import { describe, expect, it } from "vitest";
import { gitHubConfigFrom } from "./config.ts";

const full = {
  GITHUB_APP_ID: "1001",
  GITHUB_APP_PRIVATE_KEY: "-----BEGIN PRIVATE KEY-----\\nabc\\n-----END PRIVATE KEY-----",
  GITHUB_CLIENT_ID: "Iv1.x",
  GITHUB_CLIENT_SECRET: "s",
  GITHUB_WEBHOOK_SECRET: "w",
  TOKEN_ENCRYPTION_KEY: "k".repeat(40),
};

describe("GitHub configuration", () => {
  it("is absent without GitHub settings, even when an encryption key is kept around", () => {
    expect(gitHubConfigFrom({})).toBeNull();
    expect(gitHubConfigFrom({ GITHUB_APP_ID: "", TOKEN_ENCRYPTION_KEY: "k".repeat(40) })).toBeNull();
  });

  it("reads every setting, with GitHub's addresses by default and escaped newlines in the key", () => {
    const config = gitHubConfigFrom({ ...full, TOKEN_ENCRYPTION_KEY_PREVIOUS: "p".repeat(40) })!;
    expect(config.apiBaseUrl).toBe("https://api.github.com");
    expect(config.webBaseUrl).toBe("https://github.com");
    expect(config.privateKeyPem).toContain("\nabc\n");
    expect(config.encryptionSecrets).toEqual(["k".repeat(40), "p".repeat(40)]);
  });

  it("names what is missing from a partial configuration", () => {
    const { GITHUB_WEBHOOK_SECRET: _unused, TOKEN_ENCRYPTION_KEY: _key, ...partial } = full;
    expect(() => gitHubConfigFrom(partial)).toThrow(/GITHUB_WEBHOOK_SECRET, TOKEN_ENCRYPTION_KEY/);
    expect(() => gitHubConfigFrom({ ...full, TOKEN_ENCRYPTION_KEY: "short" })).toThrow(/32/);
  });
});
