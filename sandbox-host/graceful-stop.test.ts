// A host stopped with SIGTERM saves each running sandbox's work as its rescue before it exits, so
// a restart brings the work back as after a crash; what it cannot save in time, the next start does.
import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { randomSecret } from "../crypto/digest.ts";
import type { Image } from "../protocol/sandbox-host.ts";
import { SandboxHostClient } from "../sandbox/host-client.ts";
import { makeTestRepo } from "../sandbox/test-repo.ts";
import { overlayMountsUnder, unmount } from "./isolation/overlay.ts";
import { logged, startDaemon, type TestDaemon } from "./test-daemon.ts";
import { sandboxTestsUnavailable } from "./test-host.ts";

const unavailable = sandboxTestsUnavailable();
const text = (base64: string) => Buffer.from(base64, "base64").toString("utf8");

describe.skipIf(unavailable !== null)(
  `stopping the sandbox host${unavailable ? ` (skipped: ${unavailable})` : ""}`,
  () => {
    const token = randomSecret("hst");
    let stateDir: string;
    let daemon: TestDaemon;
    let client: SandboxHostClient;
    let image: Image;

    const start = async (env: Record<string, string> = {}) => {
      daemon = await startDaemon({ stateDir, token, env });
      client = new SandboxHostClient({ url: daemon.url, token });
    };
    const sh = async (sandboxId: string, script: string) =>
      text((await client.exec(sandboxId, { argv: ["sh", "-c", script] })).stdout);

    beforeAll(async () => {
      stateDir = await mkdtemp(join(tmpdir(), "tandem-stop-"));
      await start();
      const repo = await makeTestRepo({ "a.txt": "a\n", "b.txt": "b\n" });
      image = await client.buildImage({
        repo: "acme/stop",
        cloneUrl: repo.dir,
        commit: repo.commits[0]!,
      });
    }, 60_000);

    afterAll(async () => {
      await daemon?.kill("SIGKILL");
      // A daemon killed last leaves its overlays; the next start would unmount them.
      for (const mountPoint of stateDir ? await overlayMountsUnder(stateDir) : [])
        await unmount(mountPoint);
      if (stateDir) await rm(stateDir, { recursive: true, force: true, maxRetries: 3 });
    });

    it("saves each running sandbox's unsnapshotted work as its rescue when stopped with SIGTERM", async () => {
      const sandbox = await client.createSandbox({ from: { imageId: image.id } });
      await client.writeFile(sandbox.id, "kept.txt", new TextEncoder().encode("kept\n"));
      const snapshot = await client.snapshot(sandbox.id);
      // Work after the last snapshot: a file written, a file of the image deleted.
      await sh(sandbox.id, "echo unsaved > unsaved.txt && rm a.txt");
      const idle = await client.createSandbox({ from: { imageId: image.id } });

      await daemon.kill("SIGTERM");
      expect(daemon.child.exitCode).toBe(0);
      expect(logged(daemon, "host.stopped")).toMatchObject({ rescued: 2, unsaved: 0 });
      expect(logged(daemon, "host.rescued")).toMatchObject({ after: "stop", imageId: image.id });
      expect(await overlayMountsUnder(stateDir)).toEqual([]);
      expect(await readdir(join(stateDir, "sandboxes"))).toEqual([]);

      await start();
      expect(logged(daemon, "host.reconciled")).toBeUndefined();
      expect(await client.getSandbox(sandbox.id)).toBeNull();
      const rescue = await client.rescued(sandbox.id);
      expect(rescue).toMatchObject({ imageId: image.id });
      expect(rescue!.at).toBeGreaterThan(snapshot.createdAt);
      const restored = await client.createSandbox({ from: { snapshotId: rescue!.snapshotId } });
      expect(restored).toMatchObject({ imageId: image.id, restoredFrom: rescue!.snapshotId });
      expect(await sh(restored.id, "ls; cat kept.txt unsaved.txt")).toBe(
        "b.txt\nkept.txt\nunsaved.txt\nkept\nunsaved\n",
      );
      // A sandbox with nothing changed is rescued too: the session's sandbox comes back as it was.
      expect(await client.rescued(idle.id)).toMatchObject({ imageId: image.id });
      await client.destroySandbox(restored.id);
    });

    it("leaves what it could not save in time to the next start, which rescues it", async () => {
      await daemon.kill("SIGTERM");
      await start({ TANDEM_HOST_STOP_TIMEOUT_MS: "0" });
      const sandbox = await client.createSandbox({ from: { imageId: image.id } });
      await sh(sandbox.id, "echo late > late.txt");

      await daemon.kill("SIGTERM");
      expect(daemon.child.exitCode).toBe(0);
      expect(logged(daemon, "host.rescue.unsaved")).toMatchObject({ sandboxId: sandbox.id });
      expect(logged(daemon, "host.stopped")).toMatchObject({ rescued: 0, unsaved: 1 });
      expect(await readdir(join(stateDir, "sandboxes"))).toEqual([sandbox.id]);

      await start();
      expect(logged(daemon, "host.reconciled")).toMatchObject({ sandboxes: 1, rescued: 1 });
      const rescue = await client.rescued(sandbox.id);
      const restored = await client.createSandbox({ from: { snapshotId: rescue!.snapshotId } });
      expect(await sh(restored.id, "cat late.txt")).toBe("late\n");
      await client.destroySandbox(restored.id);
    });
  },
);
