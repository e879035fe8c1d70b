import { spawn } from "node:child_process";
import { mkdir, readFile, readdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { mountOverlay, overlayMountsUnder, unmount } from "./overlay.ts";
import { Scratch, titled } from "./test-sandbox.ts";

const skip = process.getuid?.() === 0 ? null : "skipped: needs root to mount overlays";

describe.skipIf(skip !== null)(titled("overlay mounts", skip), () => {
  let scratch: Scratch;
  beforeEach(async () => {
    scratch = await Scratch.create("overlay");
  });
  afterEach(async () => {
    await scratch.dispose();
  });

  async function dirs(name: string) {
    const root = join(scratch.base, name);
    const d = {
      lower: join(root, "lower"),
      upper: join(root, "upper"),
      work: join(root, "work"),
      merged: join(root, "merged"),
    };
    for (const p of Object.values(d)) await mkdir(p, { recursive: true });
    return d;
  }

  it("shows the image through the mount and keeps writes in the upper layer", async () => {
    const d = await dirs("a");
    await writeFile(join(d.lower, "image.txt"), "image\n");
    await mountOverlay(d);
    expect(await readFile(join(d.merged, "image.txt"), "utf8")).toBe("image\n");
    await writeFile(join(d.merged, "new.txt"), "new\n");
    await writeFile(join(d.merged, "image.txt"), "changed\n");
    expect(await readFile(join(d.upper, "new.txt"), "utf8")).toBe("new\n");
    expect(await readFile(join(d.upper, "image.txt"), "utf8")).toBe("changed\n");
    expect(await readFile(join(d.lower, "image.txt"), "utf8")).toBe("image\n");
    await unmount(d.merged);
    expect(await readdir(d.merged)).toEqual([]);
  });

  it("lists overlay mounts under a directory, deepest first, and nothing elsewhere", async () => {
    const a = await dirs("a");
    const b = await dirs("a/nested");
    await mountOverlay(a);
    // The nested overlay's directories live outside `a`'s merged view; mount it inside.
    const nestedMerged = join(a.merged, "inner");
    await mkdir(nestedMerged);
    await mountOverlay({ ...b, merged: nestedMerged });
    expect(await overlayMountsUnder(scratch.base)).toEqual([nestedMerged, a.merged]);
    expect(await overlayMountsUnder(join(scratch.base, "elsewhere"))).toEqual([]);
    expect(await overlayMountsUnder(`${a.merged}-not-a-child`)).toEqual([]);
    await unmount(nestedMerged);
    await unmount(a.merged);
    expect(await overlayMountsUnder(scratch.base)).toEqual([]);
  });

  it("finds mount points whose paths contain spaces", async () => {
    const d = await dirs("with space");
    await mountOverlay(d);
    expect(await overlayMountsUnder(scratch.base)).toEqual([d.merged]);
    await unmount(d.merged);
    expect(await overlayMountsUnder(scratch.base)).toEqual([]);
  });

  it("accepts the userxattr option", async () => {
    const d = await dirs("x");
    await mountOverlay({ ...d, userxattr: true });
    await writeFile(join(d.merged, "f"), "x");
    expect(await readFile(join(d.upper, "f"), "utf8")).toBe("x");
    await unmount(d.merged);
  });

  it("unmounts a path that is not mounted without complaint", async () => {
    const d = await dirs("idle");
    await expect(unmount(d.merged)).resolves.toBeUndefined();
    await expect(unmount(join(scratch.base, "does-not-exist"))).resolves.toBeUndefined();
  });

  it("detaches a busy mount lazily", async () => {
    const d = await dirs("busy");
    await mountOverlay(d);
    const holder = spawn("sleep", ["10"], { cwd: d.merged, stdio: "ignore" });
    try {
      await unmount(d.merged);
      expect(await overlayMountsUnder(scratch.base)).toEqual([]);
    } finally {
      holder.kill("SIGKILL");
    }
  });

  it("refuses directory paths overlayfs would split", async () => {
    const d = await dirs("plain");
    await expect(mountOverlay({ ...d, lower: `${d.lower},upperdir=/` })).rejects.toThrow(
      /not supported/,
    );
  });
});
