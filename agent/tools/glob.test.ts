// glob against a real sandbox.
import { expect, it } from "vitest";
import { glob } from "./glob.ts";
import { describeWithSandbox } from "./test-sandbox.ts";

describeWithSandbox(
  "glob",
  {
    "README.md": "x",
    "src/a.ts": "a",
    "src/a.test.ts": "a",
    "src/ui/b.tsx": "b",
    "src/ui/deep/c.ts": "c",
    "docs/guide.md": "g",
  },
  (fixture) => {
    it("finds files at any depth with ** and sorts them", async () => {
      const found = await fixture().call(glob, { pattern: "src/**/*.ts" });
      expect(found).toEqual({
        isError: false,
        output: "src/a.test.ts\nsrc/a.ts\nsrc/ui/deep/c.ts",
      });
    });

    it("keeps * within one folder, and takes braces and a starting path", async () => {
      expect((await fixture().call(glob, { pattern: "*.md" })).output).toBe("README.md");
      expect((await fixture().call(glob, { pattern: "**/*.{md,tsx}" })).output).toBe(
        "README.md\ndocs/guide.md\nsrc/ui/b.tsx",
      );
      expect((await fixture().call(glob, { pattern: "*/*.ts*", path: "src" })).output).toBe(
        "src/ui/b.tsx",
      );
      expect((await fixture().call(glob, { pattern: "/workspace/docs/*" })).output).toBe(
        "docs/guide.md",
      );
    });

    it("skips node_modules and .git unless the path names them", async () => {
      await fixture().shell("mkdir -p node_modules/dep && echo x > node_modules/dep/index.ts");
      expect((await fixture().call(glob, { pattern: "**/index.ts" })).output).toMatch(
        /^No files match/,
      );
      expect((await fixture().call(glob, { pattern: "**/HEAD" })).output).toMatch(
        /^No files match/,
      );
      expect(
        (await fixture().call(glob, { pattern: "**/*.ts", path: "node_modules" })).output,
      ).toBe("node_modules/dep/index.ts");
    });

    it("answers no match without an error, also for a missing folder", async () => {
      const none = await fixture().call(glob, { pattern: "**/*.py" });
      expect(none).toEqual({ isError: false, output: "No files match **/*.py in .." });
      const missing = await fixture().call(glob, { pattern: "lib/**/*.ts" });
      expect(missing).toEqual({
        isError: false,
        output: "No files match lib/**/*.ts in . (there is no folder lib).",
      });
    });
  },
);
