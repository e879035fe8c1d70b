import { mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { runOrThrow } from "../../sandbox-host/run.ts";
import {
  applyChanges,
  archiveChanges,
  diffManifests,
  recordManifest,
} from "./workspace-changes.ts";

const made: string[] = [];
afterEach(async () => {
  for (const dir of made.splice(0)) await rm(dir, { recursive: true, force: true });
});

/** A root holding `workspace/` with the files given, and a scratch folder. */
async function layout(files: Record<string, string>) {
  const root = await mkdtemp(join(tmpdir(), "tandem-changes-"));
  made.push(root);
  for (const [path, text] of Object.entries(files)) {
    await mkdir(join(root, "workspace", path, ".."), { recursive: true });
    await writeFile(join(root, "workspace", path), text);
  }
  await mkdir(join(root, "workspace"), { recursive: true });
  await mkdir(join(root, "scratch"));
  return { root, workspaceName: "workspace", scratch: join(root, "scratch") };
}

async function tree(dir: string, prefix = ""): Promise<string[]> {
  const out: string[] = [];
  for (const entry of (await readdir(dir, { withFileTypes: true })).sort((a, b) =>
    a.name.localeCompare(b.name),
  )) {
    const rel = `${prefix}${entry.name}`;
    if (entry.isDirectory()) out.push(`${rel}/`, ...(await tree(join(dir, entry.name), `${rel}/`)));
    else if (entry.isSymbolicLink()) out.push(`${rel} ->`);
    else out.push(`${rel}=${await readFile(join(dir, entry.name), "utf8")}`);
  }
  return out;
}

describe("workspace changes", () => {
  it("lists new and changed entries, and deleted ones without the contents of deleted folders", () => {
    const base = new Map([
      ["a", "f:1"],
      ["dir", "d:1"],
      ["dir/x", "f:1"],
      ["dir/sub", "d:1"],
      ["dir/sub/y", "f:1"],
      ["kept", "f:1"],
      ["swap", "f:1"],
    ]);
    const now = new Map([
      ["a", "f:2"],
      ["kept", "f:1"],
      ["new", "f:3"],
      ["swap", "d:3"],
      ["swap/inner", "f:3"],
    ]);
    expect(diffManifests(base, now)).toEqual({
      changed: ["a", "new", "swap", "swap/inner"],
      deleted: ["dir", "swap"],
    });
  });

  it("restores changes, deletions, replaced folders and symlinks onto a fresh copy of the image", async () => {
    const image = { "README.md": "hello\n", "scripts/test.sh": "echo\n", "keep/me.txt": "same\n" };
    const first = await layout(image);
    const ws = join(first.root, "workspace");
    const base = await recordManifest(ws);
    await rm(join(ws, "README.md"));
    await rm(join(ws, "scripts"), { recursive: true });
    await mkdir(join(ws, "scripts"));
    await writeFile(join(ws, "scripts/only.txt"), "new\n");
    await mkdir(join(ws, "notes"));
    await writeFile(join(ws, "notes/turn-1.md"), "what the agent did\n");
    await symlink("notes/turn-1.md", join(ws, "link"));
    const archive = await archiveChanges(base, first);

    const second = await layout(image);
    await applyChanges(archive, second);
    expect(await tree(join(second.root, "workspace"))).toEqual(await tree(ws));
    expect(await tree(join(second.root, "workspace"))).toEqual([
      "keep/",
      "keep/me.txt=same\n",
      "link ->",
      "notes/",
      "notes/turn-1.md=what the agent did\n",
      "scripts/",
      "scripts/only.txt=new\n",
    ]);
  });

  it("never deletes through a symlink of the image", async () => {
    const outside = await mkdtemp(join(tmpdir(), "tandem-outside-"));
    made.push(outside);
    await writeFile(join(outside, "precious"), "keep\n");
    const first = await layout({ "a.txt": "a\n" });
    await symlink(outside, join(first.root, "workspace", "out"));
    const base = await recordManifest(join(first.root, "workspace"));
    await rm(join(first.root, "workspace", "a.txt"));
    const archive = await archiveChanges(base, first);
    // A snapshot that names a path through the link: nothing outside the workspace goes.
    const crafted = await layout({});
    await writeFile(join(crafted.scratch, "deleted"), "out/precious\0");
    await mkdir(join(crafted.scratch, "workspace"));
    const craftedArchive = join(crafted.root, "crafted.tar.zst");
    await runOrThrow("sh", [
      "-c",
      `tar -cf - -C "${crafted.scratch}" deleted | zstd -q -o "${craftedArchive}"`,
    ]);
    const target = await layout({ "a.txt": "a\n" });
    await symlink(outside, join(target.root, "workspace", "out"));
    await applyChanges(craftedArchive, target);
    expect(await readFile(join(outside, "precious"), "utf8")).toBe("keep\n");
    await applyChanges(archive, target);
    expect(await tree(join(target.root, "workspace"))).toEqual(["out ->"]);
  });
});
