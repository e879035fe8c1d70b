// Finds and reads a repository's recipe file, falling back to the default recipe when there is none.
import { defaultRecipe, RECIPE_FILES } from "./recipe.ts";
import { parseRecipe } from "./recipe-parse.ts";
import type { RecipeResult } from "./recipe-parse.ts";

/** Reads one file of the repository at the commit being built; null when it does not exist. */
export type ReadRepoFile = (path: string) => Promise<string | null>;

/** The repository's recipe and the file it came from (null: no recipe, so the default one). */
export type LoadedRecipe = RecipeResult & { file: string | null };

/** Reads `.tandem/image.yaml` or `.tandem/image.yml`; both at once is an error, neither is the default recipe. */
export async function loadRecipe(read: ReadRepoFile): Promise<LoadedRecipe> {
  const found: Array<{ path: string; text: string }> = [];
  for (const path of RECIPE_FILES) {
    const text = await read(path);
    if (text !== null) found.push({ path, text });
  }
  const [first, second] = found;
  if (first === undefined) return { ok: true, recipe: defaultRecipe(), file: null };
  if (second !== undefined)
    return {
      ok: false,
      file: first.path,
      errors: [
        {
          file: second.path,
          path: "",
          line: null,
          message: `the repository has both ${first.path} and ${second.path}; keep one`,
        },
      ],
    };
  return { ...parseRecipe(first.text, { path: first.path }), file: first.path };
}
