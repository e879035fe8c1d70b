// The daemon killed mid-command and started again: each sandbox's changes are rescued as a
// snapshot, leftovers are reconciled, images and snapshots stay.
import { readdir, readFile, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { randomSecret } from "../crypto/digest.ts";
import { SandboxHostClient } from "../sandbox/host-client.ts";
import { makeTestRepo } from "../sandbox/test-repo.ts";
import { logged, startDaemon } from "./test-daemon.ts";
import { sandboxTestsUnavailable, startTestHost } from "./test-host.ts";

const unavailable = sandboxTestsUnavailable();

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

    it("rescues the changes of sandboxes left by a killed daemon, reconciles their leftovers and keeps images and snapshots", async () => {
      const stateDir = await mkdtemp(join(tmpdir(), "tandem-crash-"));
      cleanups.push(() => rm(stateDir, { recursive: true, force: true, maxRetries: 3 }));
      const token = randomSecret("hst");
      const first = await startDaemon({ stateDir, token });
      cleanups.push(() => first.kill("SIGKILL"));
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
      // Changes after the last snapshot: a file written and a file of the image deleted.
      await client.writeFile(sandbox.id, "unsaved.txt", new TextEncoder().encode("unsaved\n"));
      await client.exec(sandbox.id, { argv: ["rm", "a.txt"] });
      // A command is running when the daemon dies.
      const running = client
        .exec(sandbox.id, { argv: ["sleep", "30"] })
        .catch((error: unknown) => error);
      await new Promise((resolve) => setTimeout(resolve, 300));
      await first.kill("SIGKILL");
      expect(await running).toBeInstanceOf(Error);
      expect((await overlayMountsUnder(stateDir)).length).toBe(1);
      expect((await readdir(join(stateDir, "sandboxes"))).length).toBe(1);

      const second = await startDaemon({ stateDir, token });
      cleanups.push(() => second.kill("SIGTERM"));
      expect(logged(second, "host.reconciled")).toMatchObject({
        mounts: 1,
        sandboxes: 1,
        rescued: 1,
      });
      expect(await overlayMountsUnder(stateDir)).toEqual([]);
      expect(await readdir(join(stateDir, "sandboxes"))).toEqual([]);
      const again = new SandboxHostClient({ url: second.url, token });
      expect((await again.listImages()).map((i) => i.id)).toEqual([image.id]);
      expect(await again.getSandbox(sandbox.id)).toBeNull();
      const restored = await again.createSandbox({ from: { snapshotId: snapshot.id } });
      const read = await again.readFile(restored.id, "kept.txt");
      expect(read.found && new TextDecoder().decode(read.data)).toBe("kept\n");

      // The rescue holds everything up to the kill, on the sandbox's image, and restores.
      const rescue = await again.rescued(sandbox.id);
      expect(rescue).toMatchObject({ imageId: image.id });
      expect(rescue!.at).toBeGreaterThan(snapshot.createdAt);
      expect(await readdir(join(stateDir, "rescued"))).toEqual([`${sandbox.id}.json`]);
      const rescued = await again.createSandbox({ from: { snapshotId: rescue!.snapshotId } });
      expect(rescued).toMatchObject({ imageId: image.id, restoredFrom: rescue!.snapshotId });
      const tree = await again.exec(rescued.id, {
        argv: ["sh", "-c", "ls; cat kept.txt unsaved.txt"],
      });
      expect(atob(tree.stdout)).toBe("kept.txt\nunsaved.txt\nkept\nunsaved\n");
      // Nothing else was rescued: the restored sandboxes are live, not crashed.
      expect(await again.rescued(restored.id)).toBeNull();
      await again.destroySandbox(restored.id);
      await again.destroySandbox(rescued.id);

      // A deleted rescue snapshot leaves no rescue behind.
      await again.deleteSnapshot(rescue!.snapshotId);
      expect(await again.rescued(sandbox.id)).toBeNull();
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
