// The sandbox host, driven through its HTTP client, keeps the provider contract.
import { request } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { describeProviderContract } from "../sandbox/provider.contract.ts";
import { SandboxError } from "../sandbox/provider.ts";
import { SandboxHostClient } from "../sandbox/host-client.ts";
import { mkdir, symlink } from "node:fs/promises";
import { join } from "node:path";
import { makeTestRepo } from "../sandbox/test-repo.ts";
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

    describeProviderContract("sandbox host over HTTP", {
      provider: () => test.client,
      portHeaders: () => ({ authorization: `Bearer ${test.config.token}` }),
    });

    it("builds from the repository's own recipe, with its env and limits", async () => {
      const repo = await makeTestRepo({
        ".tandem/image.yaml": [
          "version: 1",
          "env:",
          '  GREETING: "hello"',
          "setup:",
          '  - echo "$GREETING from setup" > setup.txt',
          "warmup:",
          "  - name: tests",
          "    run: cat setup.txt",
          "limits:",
          "  memory: 512MiB",
          "  cpus: 1.5",
          "",
        ].join("\n"),
      });
      const logs: string[] = [];
      const image = await test.client.buildImage(
        {
          repo: "acme/recipe",
          cloneUrl: repo.dir,
          commit: repo.commits[0]!,
          recipeFromRepository: true,
        },
        (event) => event.type === "log" && logs.push(event.text),
      );
      expect(image.steps.map((s) => s.name)).toEqual(
        expect.arrayContaining([expect.stringContaining("setup"), "warmup: tests"]),
      );
      expect(logs).toContain("hello from setup");
      expect(image.limits).toMatchObject({ memoryMiB: 512, cpuMillis: 1500 });
      // Sandboxes of the image get the recipe's limits unless the caller asks for others.
      const fromRecipe = await test.client.createSandbox({ from: { imageId: image.id } });
      expect(fromRecipe.limits).toMatchObject({ memoryMiB: 512, cpuMillis: 1500 });
      const explicit = await test.client.createSandbox({
        from: { imageId: image.id },
        limits: { memoryMiB: 256, pids: 128, cpuMillis: 500 },
      });
      expect(explicit.limits).toEqual({ memoryMiB: 256, pids: 128, cpuMillis: 500 });
      await test.client.destroySandbox(fromRecipe.id);
      await test.client.destroySandbox(explicit.id);
    });

    it("fails a build whose recipe is invalid, listing what is wrong, or is a symlink", async () => {
      const invalid = await makeTestRepo({
        ".tandem/image.yaml":
          "version: 1\nsetup:\n  - name: x\n    run: true\n    timeout: 99999\n",
      });
      const error = await test.client
        .buildImage({
          repo: "acme/bad",
          cloneUrl: invalid.dir,
          commit: invalid.commits[0]!,
          recipeFromRepository: true,
        })
        .catch((e: unknown) => e);
      expect((error as SandboxError).code).toBe("build_failed");
      expect((error as SandboxError).message).toMatch(/setup\[0\]\.timeout/);
      const linked = await makeTestRepo({ "README.md": "x" });
      await symlink("/etc/passwd", join(linked.dir, ".tandem-link"));
      await mkdir(join(linked.dir, ".tandem"));
      await symlink("/etc/shadow", join(linked.dir, ".tandem/image.yaml"));
      const commit = await linked.commit({});
      const refused = await test.client
        .buildImage({ repo: "acme/link", cloneUrl: linked.dir, commit, recipeFromRepository: true })
        .catch((e: unknown) => e);
      expect((refused as SandboxError).message).toContain("symbolic link");
    });

    it("refuses requests without its token", async () => {
      const stranger = new SandboxHostClient({ url: test.host.url, token: "wrong-token" });
      const error = await stranger.listImages().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(SandboxError);
      expect((error as SandboxError).code).toBe("unauthenticated");
    });

    it("refuses proxied requests and upgrades without its token", async () => {
      const url = `${test.host.url}/v1/sandboxes/sbx_unknown/ports/3000/`;
      const plain = await fetch(url);
      expect(plain.status).toBe(401);
      const upgrade = await new Promise<number>((resolve, reject) => {
        const req = request(url, { headers: { connection: "upgrade", upgrade: "websocket" } });
        req.on("response", (res) => resolve(res.statusCode!)).on("error", reject);
        req.end();
      });
      expect(upgrade).toBe(401);
      const withToken = await fetch(url, {
        headers: { authorization: `Bearer ${test.config.token}` },
      });
      expect(withToken.status).toBe(404);
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
