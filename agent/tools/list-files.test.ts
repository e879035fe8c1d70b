// list_files against a real sandbox.
import { expect, it } from "vitest";
import { listFiles } from "./list-files.ts";
import { MAX_ENTRIES } from "./paths.ts";
import { describeWithSandbox } from "./test-sandbox.ts";

describeWithSandbox(
  "list_files",
  {
    "README.md": "x",
    "src/a.ts": "a",
    "src/lib/b.ts": "b",
    ".env.example": "K=v",
    "package.json": "{}",
  },
  (fixture) => {
    it("lists folders first with a slash, then files, without descending", async () => {
      const listed = await fixture().call(listFiles, {});
      expect(listed).toEqual({
        isError: false,
        output: [".git/", "src/", ".env.example", "README.md", "package.json"].join("\n"),
      });
      const src = await fixture().call(listFiles, { path: "src" });
      expect(src.output).toBe("lib/\na.ts");
    });

    it("says when a folder is empty, missing or a file", async () => {
      await fixture().shell("mkdir empty");
      expect((await fixture().call(listFiles, { path: "empty" })).output).toBe("(empty is empty.)");
      const missing = await fixture().call(listFiles, { path: "nope" });
      expect(missing).toMatchObject({
        isError: true,
        output: expect.stringContaining("no folder nope"),
      });
      const file = await fixture().call(listFiles, { path: "README.md" });
      expect(file).toMatchObject({
        isError: true,
        output: expect.stringContaining("Use read_file"),
      });
    });

    it(`shows at most ${MAX_ENTRIES} entries and says how many more there are`, async () => {
      await fixture().shell("mkdir many && cd many && touch $(seq -f 'f%04g' 1 600)");
      const listed = await fixture().call(listFiles, { path: "many" });
      const lines = listed.output.split("\n");
      expect(lines).toHaveLength(MAX_ENTRIES + 1);
      expect(lines.at(-1)).toBe("(… and 100 more entries. Use glob to narrow down.)");
    });
  },
);
