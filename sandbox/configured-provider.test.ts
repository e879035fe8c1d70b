import { describe, expect, it } from "vitest";
import {
  configuredSandboxesFrom,
  sandboxHostFrom,
  sandboxProviderFrom,
} from "./configured-provider.ts";
import { ContainersProvider } from "./containers/containers-provider.ts";
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

describe("the configured containers provider", () => {
  const binding = {
    idFromName: (name: string) => ({ name }) as unknown as DurableObjectId,
    get: () => ({ fetch: async () => new Response(null, { status: 404 }) }),
  };
  const bucket = {} as R2Bucket;

  it("is chosen when the deployment binds containers and their bucket, over any host", () => {
    const env = {
      SANDBOX_CONTAINER: binding,
      SANDBOX_STORE: bucket,
      SANDBOX_HOST_URL: "http://a:8790",
      SANDBOX_HOST_TOKEN: "t",
    };
    expect(configuredSandboxesFrom(env)).toBeInstanceOf(ContainersProvider);
    expect(sandboxProviderFrom(env)?.name).toBe("cloudflare-containers");
  });

  it("is not chosen without its bucket", () => {
    const env = {
      SANDBOX_CONTAINER: binding,
      SANDBOX_HOST_URL: "http://a:8790",
      SANDBOX_HOST_TOKEN: "t",
    };
    expect(configuredSandboxesFrom(env)).toBeInstanceOf(SandboxHostClient);
  });
});
