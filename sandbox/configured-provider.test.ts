import { describe, expect, it } from "vitest";
import { sandboxHostFrom } from "./configured-provider.ts";
import { SandboxHostClient } from "./host-client.ts";
import { SandboxFleet } from "./host-fleet.ts";

describe("the configured sandbox provider", () => {
  it("is absent without a host URL and token", () => {
    expect(sandboxHostFrom({})).toBeNull();
    expect(sandboxHostFrom({ SANDBOX_HOST_URL: "http://a:8790" })).toBeNull();
    expect(sandboxHostFrom({ SANDBOX_HOST_URL: "", SANDBOX_HOST_TOKEN: "t" })).toBeNull();
  });

  it("is one host's client for one URL and a fleet for several", () => {
    expect(
      sandboxHostFrom({ SANDBOX_HOST_URL: "http://a:8790", SANDBOX_HOST_TOKEN: "t" }),
    ).toBeInstanceOf(SandboxHostClient);
    const fleet = sandboxHostFrom({
      SANDBOX_HOST_URL: "http://a:8790, http://b:8790",
      SANDBOX_HOST_TOKEN: "ta,tb",
    });
    expect(fleet).toBeInstanceOf(SandboxFleet);
    expect(fleet?.name).toBe("sandbox-fleet");
  });
});
