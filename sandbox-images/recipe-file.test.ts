// Finding a repository's recipe file, against a fake repository.
import { describe, expect, it } from "vitest";
import { defaultRecipe } from "./recipe.ts";
import { loadRecipe } from "./recipe-file.ts";
import type { ReadRepoFile } from "./recipe-file.ts";

/** A repository holding exactly these files. */
const repo =
  (files: Record<string, string>): ReadRepoFile =>
  async (path) =>
    files[path] ?? null;

describe("loadRecipe", () => {
  it("reads .tandem/image.yaml", async () => {
    const loaded = await loadRecipe(repo({ ".tandem/image.yaml": "version: 1\nsetup: [make]\n" }));
    expect(loaded.file).toBe(".tandem/image.yaml");
    expect(loaded.ok && loaded.recipe.setup.map((step) => step.run)).toEqual(["make"]);
  });

  it("reads .tandem/image.yml when that is the spelling the repository uses", async () => {
    const loaded = await loadRecipe(repo({ ".tandem/image.yml": "version: 1\n" }));
    expect(loaded).toEqual({ ok: true, recipe: defaultRecipe(), file: ".tandem/image.yml" });
  });

  it("uses the default recipe for a repository without one", async () => {
    expect(await loadRecipe(repo({}))).toEqual({ ok: true, recipe: defaultRecipe(), file: null });
  });

  it("refuses a repository with both spellings rather than guessing", async () => {
    const loaded = await loadRecipe(
      repo({ ".tandem/image.yaml": "version: 1\n", ".tandem/image.yml": "version: 1\n" }),
    );
    expect(loaded.ok).toBe(false);
    expect(!loaded.ok && loaded.errors.map((error) => error.message)).toEqual([
      "the repository has both .tandem/image.yaml and .tandem/image.yml; keep one",
    ]);
  });

  it("reports the errors of an invalid recipe file with its path", async () => {
    const loaded = await loadRecipe(repo({ ".tandem/image.yml": "version: 1\nsetup: npm ci\n" }));
    expect(!loaded.ok && loaded.errors).toEqual([
      {
        file: ".tandem/image.yml",
        path: "setup",
        line: 2,
        message: 'must be a list of steps, each on its own line starting with "- " (got "npm ci")',
      },
    ]);
  });
});
