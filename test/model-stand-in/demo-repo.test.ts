// The demo repository: one commit on main whose tests pass with nothing but python3, and a
// recipe the image builder accepts.
import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterEach, describe, expect, it } from "vitest";
import { parseRecipe } from "../../sandbox-images/recipe-parse.ts";
import { createDemoRepo } from "../demo-repo/create.ts";

const run = promisify(execFile);
const made: string[] = [];
afterEach(async () => {
  for (const dir of made.splice(0)) await rm(dir, { recursive: true, force: true });
});

async function freshDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "tandem-demo-"));
  made.push(dir);
  return join(dir, "repo");
}

describe("createDemoRepo", () => {
  it("makes a repository with one commit on main by the demo author", async () => {
    const { dir, commit } = await createDemoRepo(await freshDir());
    const git = async (...args: string[]) => (await run("git", args, { cwd: dir })).stdout.trim();
    expect(await git("rev-parse", "HEAD")).toBe(commit);
    expect(await git("branch", "--show-current")).toBe("main");
    expect(await git("rev-list", "--count", "HEAD")).toBe("1");
    expect(await git("log", "-1", "--format=%an <%ae>|%cn <%ce>")).toBe(
      "Tandem Demo <demo@tandem.invalid>|Tandem Demo <demo@tandem.invalid>",
    );
    expect((await git("ls-files")).split("\n")).toEqual([
      ".gitignore",
      ".tandem/image.yaml",
      "README.md",
      "stats.py",
      "test_stats.py",
    ]);
    expect(await git("status", "--porcelain")).toBe("");
  });

  it("makes the same commit every time", async () => {
    const first = await createDemoRepo(await freshDir());
    const second = await createDemoRepo(await freshDir());
    expect(second.commit).toBe(first.commit);
  });

  it("holds a test suite that passes with the standard library alone", async () => {
    const { dir } = await createDemoRepo(await freshDir());
    const { stderr } = await run("python3", ["-m", "unittest", "-q"], { cwd: dir });
    expect(stderr).toMatch(/Ran 6 tests/);
    expect(stderr).toMatch(/\nOK\s*$/);
    // The bytecode cache the run leaves is ignored, so the workspace stays clean.
    expect((await run("git", ["status", "--porcelain"], { cwd: dir })).stdout).toBe("");
  });

  it("carries a recipe whose warm-up runs the tests", async () => {
    const { dir } = await createDemoRepo(await freshDir());
    const parsed = parseRecipe(await readFile(join(dir, ".tandem/image.yaml"), "utf8"), {
      path: ".tandem/image.yaml",
    });
    expect(parsed.ok).toBe(true);
    expect(parsed.ok && parsed.recipe.warmup.map((step) => step.run)).toEqual([
      "python3 -m unittest -q || true",
    ]);
  });
});
