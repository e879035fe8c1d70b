import { describe, expect, it } from "vitest";
import { previewDomainFrom, previewOfHost, previewOrigin } from "./previews.ts";

const SESSION = "ses_01m7z02xjszk708d7v7bqpwad3";

describe("preview origins", () => {
  it("reads PREVIEW_URL templates, dropping default ports, and refuses other shapes", () => {
    expect(previewDomainFrom("http://*.localhost:8787")).toEqual({
      protocol: "http:",
      suffix: "localhost:8787",
    });
    expect(previewDomainFrom("https://*.Preview.Example.com:443/")).toEqual({
      protocol: "https:",
      suffix: "preview.example.com",
    });
    for (const bad of [
      "",
      undefined,
      "http://localhost:8787",
      "ftp://*.x",
      "http://*.x/path",
      "https://a.*.x",
    ])
      expect(previewDomainFrom(bad)).toBeNull();
  });

  it("gives each session and port one origin and reads it back from a request's host", () => {
    const domain = previewDomainFrom("http://*.localhost:8787")!;
    const origin = previewOrigin(domain, SESSION, 3000);
    expect(origin).toBe("http://ses-01m7z02xjszk708d7v7bqpwad3--3000.localhost:8787");
    expect(previewOfHost(domain, new URL(origin).host)).toEqual({ sessionId: SESSION, port: 3000 });
    expect(previewOfHost(domain, new URL(origin).host.toUpperCase())).toEqual({
      sessionId: SESSION,
      port: 3000,
    });
  });

  it("is no preview for Tandem's own hosts, other ports, leading zeros or malformed labels", () => {
    const domain = previewDomainFrom("http://*.localhost:8787")!;
    for (const host of [
      "localhost:8787",
      "127.0.0.1:8787",
      "ses-01m7z02xjszk708d7v7bqpwad3--3000.localhost:9999",
      "ses-01m7z02xjszk708d7v7bqpwad3--03000.localhost:8787",
      "ses-01m7z02xjszk708d7v7bqpwad3--70000.localhost:8787",
      "ses-01m7z02xjszk708d7v7bqpwad3--0.localhost:8787",
      "ses-01m7z02xjszk708d7v7bqpwaDu--3000.localhost:8787",
      "x.ses-01m7z02xjszk708d7v7bqpwad3--3000.localhost:8787",
      "ses-01m7z02xjszk708d7v7bqpwad3--3000.evil.localhost:8787.attacker.com",
    ])
      expect(previewOfHost(domain, host)).toBeNull();
  });
});
