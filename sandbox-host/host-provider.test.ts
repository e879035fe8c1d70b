// The sandbox host, driven through its HTTP client, keeps the provider contract.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { describeProviderContract } from "../sandbox/provider.contract.ts";
import { SandboxError } from "../sandbox/provider.ts";
import { SandboxHostClient } from "../sandbox/host-client.ts";
import { sandboxTestsUnavailable, startTestHost, type TestHost } from "./test-host.ts";

const unavailable = sandboxTestsUnavailable();

describe.skipIf(unavailable !== null)(
  `the sandbox host${unavailable ? ` (skipped: ${unavailable})` : ""}`,
  () => {
    let test: TestHost;
    beforeAll(async () => {
      test = await startTestHost();
    }, 60_000);
    afterAll(async () => {
      await test?.stop();
    });

    describeProviderContract("sandbox host over HTTP", { provider: () => test.client });

    it("refuses requests without its token", async () => {
      const stranger = new SandboxHostClient({ url: test.host.url, token: "wrong-token" });
      const error = await stranger.listImages().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(SandboxError);
      expect((error as SandboxError).code).toBe("unauthenticated");
    });

    it("answers malformed requests with invalid_input", async () => {
      const response = await fetch(`${test.host.url}/v1/sandboxes`, {
        method: "POST",
        headers: {
          authorization: `Bearer ${test.config.token}`,
          "content-type": "application/json",
        },
        body: JSON.stringify({ from: { imageId: 7 } }),
      });
      expect(response.status).toBe(400);
      expect(await response.json()).toMatchObject({ error: { code: "invalid_input" } });
    });
  },
);
