// The daemon killed mid-command and started again: leftovers are reconciled, images and snapshots stay.
import { spawn, type ChildProcess } from "node:child_process";
import { readdir, readFile, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { afterAll, describe, expect, it } from "vitest";
import { randomSecret } from "../crypto/digest.ts";
import { SandboxHostClient } from "../sandbox/host-client.ts";
import { makeTestRepo } from "../sandbox/test-repo.ts";
import { sandboxTestsUnavailable, startTestHost } from "./test-host.ts";

const unavailable = sandboxTestsUnavailable();

/** Starts `sandbox-host/main.ts` as its own process and resolves with its URL once it listens. */
function startDaemon(
  stateDir: string,
  token: string,
): Promise<{ child: ChildProcess; url: string; logs: string[] }> {
  const child = spawn(process.execPath, ["sandbox-host/main.ts"], {
    env: {
      ...process.env,
      TANDEM_HOST_TOKEN: token,
      TANDEM_HOST_PORT: "0",
      TANDEM_HOST_STATE: stateDir,
    },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const logs: string[] = [];
  return new Promise((resolve, reject) => {
    createInterface({ input: child.stdout! }).on("line", (line) => {
      logs.push(line);
      const entry = JSON.parse(line) as { message: string; url?: string };
      if (entry.message === "host.listening") resolve({ child, url: entry.url!, logs });
    });
    child.once("exit", (code) => reject(new Error(`daemon exited with ${code}`)));
  });
}

async function overlayMountsUnder(dir: string): Promise<string[]> {
  const info = await readFile("/proc/self/mountinfo", "utf8");
  return info.split("\n").filter((line) => line.includes(" - overlay ") && line.includes(dir));
}

describe.skipIf(unavailable !== null)(
  `crash recovery${unavailable ? ` (skipped: ${unavailable})` : ""}`,
  () => {
    const cleanups: (() => Promise<void>)[] = [];
    afterAll(async () => {
      for (const cleanup of cleanups.reverse()) await cleanup();
    });

    it("reconciles mounts, cgroups and sandboxes left by a killed daemon and keeps images and snapshots", async () => {
      const stateDir = await mkdtemp(join(tmpdir(), "tandem-crash-"));
      cleanups.push(() => rm(stateDir, { recursive: true, force: true, maxRetries: 3 }));
      const token = randomSecret("hst");
      const first = await startDaemon(stateDir, token);
      cleanups.push(async () => void first.child.kill("SIGKILL"));
      const client = new SandboxHostClient({ url: first.url, token });
      const repo = await makeTestRepo({ "a.txt": "a\n" });
      const image = await client.buildImage({
        repo: "acme/crash",
        cloneUrl: repo.dir,
        commit: repo.commits[0]!,
      });
      const sandbox = await client.createSandbox({ from: { imageId: image.id } });
      await client.writeFile(sandbox.id, "kept.txt", new TextEncoder().encode("kept\n"));
      const snapshot = await client.snapshot(sandbox.id);
      // A command is running when the daemon dies.
      const running = client
        .exec(sandbox.id, { argv: ["sleep", "30"] })
        .catch((error: unknown) => error);
      await new Promise((resolve) => setTimeout(resolve, 300));
      first.child.kill("SIGKILL");
      expect(await running).toBeInstanceOf(Error);
      if (first.child.exitCode === null && first.child.signalCode === null) {
        await new Promise((resolve) => first.child.once("exit", resolve));
      }
      expect((await overlayMountsUnder(stateDir)).length).toBe(1);
      expect((await readdir(join(stateDir, "sandboxes"))).length).toBe(1);

      const second = await startDaemon(stateDir, token);
      cleanups.push(async () => void second.child.kill("SIGTERM"));
      const reconciled = second.logs
        .map((l) => JSON.parse(l) as { message: string; mounts?: number; sandboxes?: number })
        .find((l) => l.message === "host.reconciled");
      expect(reconciled).toMatchObject({ mounts: 1, sandboxes: 1 });
      expect(await overlayMountsUnder(stateDir)).toEqual([]);
      expect(await readdir(join(stateDir, "sandboxes"))).toEqual([]);
      const again = new SandboxHostClient({ url: second.url, token });
      expect((await again.listImages()).map((i) => i.id)).toEqual([image.id]);
      expect(await again.getSandbox(sandbox.id)).toBeNull();
      const restored = await again.createSandbox({ from: { snapshotId: snapshot.id } });
      const read = await again.readFile(restored.id, "kept.txt");
      expect(read.found && new TextDecoder().decode(read.data)).toBe("kept\n");
      await again.destroySandbox(restored.id);
    });

    it("waits for sandboxes being started when it stops, so no mount is left behind", async () => {
      const test = await startTestHost();
      const repo = await makeTestRepo({ "a.txt": "a\n" });
      const image = await test.client.buildImage({
        repo: "acme/stop",
        cloneUrl: repo.dir,
        commit: repo.commits[0]!,
      });
      const starting = Promise.all(
        [1, 2, 3].map(() =>
          test.client.createSandbox({ from: { imageId: image.id } }).catch((e: unknown) => e),
        ),
      );
      await new Promise((resolve) => setTimeout(resolve, 20));
      await test.host.stop();
      await starting;
      expect(await overlayMountsUnder(test.config.stateDir)).toEqual([]);
      await rm(test.config.stateDir, { recursive: true, force: true });
    });
  },
);
