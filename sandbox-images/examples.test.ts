// The example recipes in examples/ stay valid.
import { readdir, readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { formatRecipeError, parseRecipe } from "./recipe-parse.ts";

const EXAMPLES = new URL("./examples/", import.meta.url);

describe("example recipes", () => {
  it("includes a Node and a Python example", async () => {
    expect((await readdir(EXAMPLES)).sort()).toEqual(["node.image.yaml", "python.image.yaml"]);
  });

  it.each(["node.image.yaml", "python.image.yaml"])(
    "%s is a valid recipe with steps in every phase",
    async (name) => {
      const result = parseRecipe(await readFile(new URL(name, EXAMPLES), "utf8"), { path: name });
      expect(result.ok ? [] : result.errors.map(formatRecipeError)).toEqual([]);
      if (!result.ok) return;
      for (const phase of ["setup", "build", "warmup"] as const)
        expect(result.recipe[phase].length, phase).toBeGreaterThan(0);
    },
  );
});
