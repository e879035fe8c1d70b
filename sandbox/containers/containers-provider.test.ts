// The Containers provider keeps the provider contract, over the SandboxContainer gate and fake
// containers that run the real container server.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { randomSecret } from "../../crypto/digest.ts";
import { describeProviderContract } from "../provider.contract.ts";
import { SandboxError } from "../provider.ts";
import { makeTestRepo } from "../test-repo.ts";
import { ContainersProvider } from "./containers-provider.ts";
import { fakeContainersUnavailable } from "./fake-container.ts";
import { memoryBlobStore } from "./memory-blob-store.ts";
import { fakeContainerNamespace, startPortRoute } from "./test-containers.ts";

const unavailable = fakeContainersUnavailable();

describe.skipIf(unavailable !== null)(
  `the Containers provider over fake containers${unavailable ? ` (skipped: ${unavailable})` : ""}`,
  () => {
    const token = randomSecret("prt");
    const containers = fakeContainerNamespace();
    const store = memoryBlobStore();
    let provider: ContainersProvider;
    let route: { url: string; stop(): void };

    beforeAll(async () => {
      route = await startPortRoute(containers, token);
      provider = new ContainersProvider({ containers, store, portBaseUrl: route.url });
    });
    afterAll(async () => {
      route?.stop();
      await containers.stopAll();
    });

    describeProviderContract("Cloudflare Containers (fake container runtime)", {
      provider: () => provider,
      portHeaders: () => ({ authorization: `Bearer ${token}` }),
    });

    it("starts session sandboxes without the internet, sized by their limits, and git and builds with it", async () => {
      const repo = await makeTestRepo({ "a.txt": "a\n" });
      const image = await provider.buildImage({
        repo: "acme/sizes",
        cloneUrl: repo.dir,
        commit: repo.commits[0]!,
        steps: [{ name: "fetch", run: "true", network: true }],
      });
      const sandbox = await provider.createSandbox({
        from: { imageId: image.id },
        limits: { memoryMiB: 512, pids: 64, cpuMillis: 250 },
      });
      try {
        expect(containers.containers.get(sandbox.id)!.starts).toEqual([
          expect.objectContaining({ enableInternet: false, instance: "basic" }),
        ]);
        expect(containers.containers.get(`build-${image.id}`)!.starts).toEqual([
          expect.objectContaining({ enableInternet: true }),
        ]);
        const gitNames = [...containers.containers.keys()].filter((n) => n.startsWith("git-"));
        expect(gitNames.length).toBeGreaterThan(0);
        // The build container is gone once the image is stored.
        expect(containers.containers.get(`build-${image.id}`)!.running).toBe(false);
        // The pids limit holds: the sandbox user cannot start more than its share of processes.
        const forks = await provider.exec(sandbox.id, {
          argv: [
            "sh",
            "-c",
            "for i in $(seq 80); do sleep 5 & done 2>&1 | head -1; kill $(jobs -p) 2>/dev/null; true",
          ],
        });
        expect(Buffer.from(forks.stdout, "base64").toString()).toMatch(/fork|resource/i);
      } finally {
        await provider.destroySandbox(sandbox.id);
        await provider.deleteImage(image.id);
      }
    });

    it("keeps sandboxes from reaching the internet and the credential out of their container", async () => {
      const repo = await makeTestRepo({ "a.txt": "a\n" });
      // Made here, so no file of the checkout (which may sit under /tmp) holds it.
      const secret = `secret-${randomUUID()}`;
      const image = await provider.buildImage({
        repo: "acme/net",
        cloneUrl: repo.dir,
        commit: repo.commits[0]!,
      });
      const sandbox = await provider.createSandbox({ from: { imageId: image.id } });
      try {
        const probe = await provider.exec(sandbox.id, {
          argv: [
            "sh",
            "-c",
            `cat /proc/net/dev | tail -n +3 | cut -d: -f1; ls ${repo.dir} 2>&1; id -u`,
          ],
        });
        const lines = Buffer.from(probe.stdout, "base64")
          .toString()
          .trim()
          .split("\n")
          .map((l: string) => l.trim());
        expect(lines[0]).toBe("lo");
        expect(lines).toContainEqual(expect.stringContaining("No such file"));
        expect(lines.at(-1)).toBe("64100");
        await provider.syncWorkspace(sandbox.id, {
          cloneUrl: repo.dir,
          branch: "main",
          credential: { username: "x-access-token", password: secret },
        });
        const search = await provider.exec(sandbox.id, {
          argv: [
            "sh",
            "-c",
            `grep -rs ${secret} /workspace /run /tmp /proc/*/environ; echo done`,
          ],
        });
        expect(Buffer.from(search.stdout, "base64").toString().trim()).toBe("done");
      } finally {
        await provider.destroySandbox(sandbox.id);
        await provider.deleteImage(image.id);
      }
    });

    it("reports a sandbox whose container stopped as exited, and refuses its commands", async () => {
      const repo = await makeTestRepo({ "a.txt": "a\n" });
      const image = await provider.buildImage({
        repo: "acme/stop",
        cloneUrl: repo.dir,
        commit: repo.commits[0]!,
      });
      const sandbox = await provider.createSandbox({ from: { imageId: image.id } });
      try {
        await containers.containers.get(sandbox.id)!.destroy();
        expect(await provider.getSandbox(sandbox.id)).toMatchObject({
          id: sandbox.id,
          state: "exited",
        });
        const error = await provider.exec(sandbox.id, { argv: ["true"] }).catch((e: unknown) => e);
        expect((error as SandboxError).code).toBe("sandbox_exited");
      } finally {
        await provider.destroySandbox(sandbox.id);
        await provider.deleteImage(image.id);
      }
    });

    it("refuses port requests without the port token", async () => {
      const anonymous = await fetch(`${route.url}/sbx_00000000000000000000000000/3000/`);
      expect(anonymous.status).toBe(401);
      const unknown = await fetch(`${route.url}/not-a-sandbox/3000/`, {
        headers: { authorization: `Bearer ${token}` },
      });
      expect(unknown.status).toBe(404);
    });
  },
);
