// Two real sandbox hosts driven as one fleet keep the provider contract and share the load.
import { chmod, chown, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { randomSecret } from "../crypto/digest.ts";
import { newId } from "../protocol/ids.ts";
import { SandboxHostClient } from "../sandbox/host-client.ts";
import { SandboxFleet } from "../sandbox/host-fleet.ts";
import { describeProviderContract } from "../sandbox/provider.contract.ts";
import { makeTestRepo } from "../sandbox/test-repo.ts";
import { hostPaths } from "./paths.ts";
import { RescueStore } from "./snapshots/rescue-store.ts";
import { SnapshotStore } from "./snapshots/snapshot-store.ts";
import { sandboxTestsUnavailable, startTestHost, type TestHost } from "./test-host.ts";

const unavailable = sandboxTestsUnavailable();

describe.skipIf(unavailable !== null)(
  `a fleet of two sandbox hosts${unavailable ? ` (skipped: ${unavailable})` : ""}`,
  () => {
    const token = randomSecret("hst");
    let a: TestHost;
    let b: TestHost;
    let fleet: SandboxFleet;
    beforeAll(async () => {
      [a, b] = await Promise.all([startTestHost({ token }), startTestHost({ token })]);
      fleet = new SandboxFleet([
        { name: "host-a", client: a.client },
        { name: "host-b", client: b.client },
      ]);
    }, 60_000);
    afterAll(async () => {
      await Promise.all([a?.stop(), b?.stop()]);
    });

    describeProviderContract("sandbox fleet", {
      provider: () => fleet,
      portHeaders: () => ({ authorization: `Bearer ${token}` }),
    });

    it("builds on every host and spreads new sandboxes to the least-loaded one", async () => {
      const repo = await makeTestRepo({ "README.md": "fleet\n" });
      const image = await fleet.buildImage({
        repo: "acme/fleet",
        cloneUrl: repo.dir,
        commit: repo.commits[0]!,
      });
      expect((await a.client.listImages()).map((i) => i.id)).toContain(image.id);
      expect((await b.client.listImages()).map((i) => i.id)).toContain(image.id);
      const sandboxes = [];
      for (let i = 0; i < 4; i++)
        sandboxes.push(await fleet.createSandbox({ from: { imageId: image.id } }));
      expect((await a.client.listSandboxes()).length).toBe(2);
      expect((await b.client.listSandboxes()).length).toBe(2);
      // A session stays on its host: its snapshot restores where it was taken.
      const onB = (await b.client.listSandboxes())[0]!;
      await fleet.writeFile(onB.id, "mine.txt", new TextEncoder().encode("kept on b\n"));
      const snapshot = await fleet.snapshot(onB.id);
      const restored = await fleet.createSandbox({ from: { snapshotId: snapshot.id } });
      expect((await b.client.getSandbox(restored.id))?.id).toBe(restored.id);
      for (const sandbox of [...sandboxes, restored]) await fleet.destroySandbox(sandbox.id);
      await fleet.deleteSnapshot(snapshot.id);
      await fleet.deleteImage(image.id);
    });

    it("finds a rescue on the host that saved it and restores it there", async () => {
      const repo = await makeTestRepo({ "README.md": "rescue\n" });
      const image = await fleet.buildImage({
        repo: "acme/rescue",
        cloneUrl: repo.dir,
        commit: repo.commits[0]!,
      });
      // What host b's restart would have saved of a sandbox of that image.
      const upper = await mkdtemp(join(tmpdir(), "tandem-upper-"));
      await writeFile(join(upper, "saved.txt"), "saved on b\n");
      // An upper layer belongs to the sandbox user, as the host makes it.
      await chmod(upper, 0o755);
      for (const path of [upper, join(upper, "saved.txt")])
        await chown(path, b.config.sandboxUid, b.config.sandboxUid);
      const paths = hostPaths(b.config.stateDir);
      const sandboxId = newId("sbx");
      const saved = await new RescueStore(paths, new SnapshotStore(paths)).rescue(
        upper,
        sandboxId,
        image.id,
      );
      await rm(upper, { recursive: true });
      // A fleet that never placed the sandbox (the control plane restarted too) asks every host.
      const fresh = new SandboxFleet([
        { name: "host-a", client: a.client },
        { name: "host-b", client: b.client },
      ]);
      expect(await fresh.rescued(sandboxId)).toEqual(saved);
      const restored = await fresh.createSandbox({ from: { snapshotId: saved.snapshotId } });
      expect((await b.client.getSandbox(restored.id))?.id).toBe(restored.id);
      const read = await fresh.readFile(restored.id, "saved.txt");
      expect(read.found && new TextDecoder().decode(read.data)).toBe("saved on b\n");
      await fresh.destroySandbox(restored.id);
      await fresh.deleteSnapshot(saved.snapshotId);
      expect(await fresh.rescued(sandboxId)).toBeNull();
      await fresh.deleteImage(image.id);
    });

    it("skips a host that does not answer and says so", async () => {
      const down = new SandboxHostClient({ url: "http://127.0.0.1:9", token });
      const partial = new SandboxFleet([
        { name: "host-a", client: a.client },
        { name: "host-down", client: down },
      ]);
      const caps = await partial.capabilities();
      expect(caps.missing).toContain("host-down does not answer");
      const repo = await makeTestRepo({ "README.md": "partial\n" });
      const image = await partial.buildImage({
        repo: "acme/partial",
        cloneUrl: repo.dir,
        commit: repo.commits[0]!,
      });
      const sandbox = await partial.createSandbox({ from: { imageId: image.id } });
      expect((await a.client.getSandbox(sandbox.id))?.id).toBe(sandbox.id);
      await partial.destroySandbox(sandbox.id);
      await partial.deleteImage(image.id);
    });
  },
);
