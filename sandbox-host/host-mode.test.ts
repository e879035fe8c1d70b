import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { asOwner, claimStateFolder, overlayXattrs, ROOT_MODE, type HostMode } from "./host-mode.ts";

const ROOTLESS: HostMode = { rootless: true, workspaces: "overlay" };

describe("the host's mode", () => {
  const dirs: string[] = [];
  afterAll(async () => {
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  });

  it("runs commands on sandbox files in a user namespace of its own only when rootless", () => {
    expect(asOwner(ROOT_MODE, ["tar", "-cf", "-", "."])).toEqual(["tar", "-cf", "-", "."]);
    expect(asOwner(ROOTLESS, ["rm", "-rf", "x"])).toEqual([
      "unshare",
      "--user",
      "--map-root-user",
      "--",
      "rm",
      "-rf",
      "x",
    ]);
  });

  it("archives the overlay attributes of the namespace overlayfs keeps them in", () => {
    expect(overlayXattrs(ROOT_MODE)).toBe("trusted.overlay.*");
    expect(overlayXattrs(ROOTLESS)).toBe("user.overlay.*");
  });

  it("records its mode in a new state folder and refuses a folder made in another", async () => {
    const dir = await mkdtemp(join(tmpdir(), "tandem-mode-"));
    dirs.push(dir);
    await claimStateFolder(dir, ROOTLESS);
    expect(JSON.parse(await readFile(join(dir, "host-mode.json"), "utf8"))).toEqual(ROOTLESS);
    await claimStateFolder(dir, { ...ROOTLESS });
    await expect(claimStateFolder(dir, ROOT_MODE)).rejects.toThrow(
      "belongs to a rootless with overlay workspaces host, and this one is root with overlay workspaces",
    );
    await expect(claimStateFolder(dir, { rootless: true, workspaces: "copy" })).rejects.toThrow(
      "Give this host its own TANDEM_HOST_STATE",
    );
  });
});
