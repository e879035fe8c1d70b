// A rootless sandbox host keeps the provider contract. Runs only as an unprivileged user, with the
// host in this process: rootless.test.ts runs this file so when the suite itself runs as root.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { describeProviderContract } from "../sandbox/provider.contract.ts";
import { rootlessTestsUnavailable, startTestHost, type TestHost } from "./test-host.ts";

const unavailable =
  process.getuid?.() === 0
    ? "runs only as an unprivileged user; rootless.test.ts starts it as one"
    : rootlessTestsUnavailable();

describe.skipIf(unavailable !== null)(
  `the rootless sandbox host${unavailable ? ` (skipped: ${unavailable})` : ""}`,
  () => {
    let test: TestHost;
    beforeAll(async () => {
      test = await startTestHost();
    }, 60_000);
    afterAll(async () => {
      await test?.stop();
    });

    it("runs rootless, with overlay workspaces where the kernel allows them", async () => {
      const caps = await test.client.capabilities();
      expect(caps.root).toBe(false);
      expect(caps.missing[0]).toContain(`rootless: sandboxes run as this host's own user`);
      expect(test.host.mode.rootless).toBe(true);
    });

    describeProviderContract("rootless sandbox host over HTTP", {
      provider: () => test.client,
      portHeaders: () => ({ authorization: `Bearer ${test.config.token}` }),
    });
  },
);
