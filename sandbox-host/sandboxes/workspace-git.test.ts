import { mkdtemp, readFile, rm, symlink, writeFile, mkdir } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { SandboxError } from "../../sandbox/provider.ts";
import { copyBundle } from "./workspace-git.ts";

describe("taking a push bundle from a sandbox's outbox", () => {
  const dirs: string[] = [];
  const scratch = async () => {
    const dir = await mkdtemp(join(tmpdir(), "tandem-outbox-"));
    dirs.push(dir);
    return dir;
  };
  afterEach(async () => {
    for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
  });

  it("copies a regular file and removes it from the outbox", async () => {
    const dir = await scratch();
    await writeFile(join(dir, "push.bundle"), "# v2 git bundle\n");
    await copyBundle(join(dir, "push.bundle"), join(dir, "copy"));
    expect(await readFile(join(dir, "copy"), "utf8")).toBe("# v2 git bundle\n");
    await expect(readFile(join(dir, "push.bundle"))).rejects.toThrow();
  });

  it("refuses a link the sandbox put in the bundle's place, without reading its target", async () => {
    const dir = await scratch();
    await writeFile(join(dir, "secret"), "host secret\n");
    await symlink(join(dir, "secret"), join(dir, "push.bundle"));
    const error = await copyBundle(join(dir, "push.bundle"), join(dir, "copy")).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(SandboxError);
    expect((error as SandboxError).message).toContain("link");
    await expect(readFile(join(dir, "copy"))).rejects.toThrow();
  });

  it("refuses a folder", async () => {
    const dir = await scratch();
    await mkdir(join(dir, "push.bundle"));
    const error = await copyBundle(join(dir, "push.bundle"), join(dir, "copy")).catch(
      (e: unknown) => e,
    );
    expect((error as SandboxError).message).toContain("regular file");
  });
});
