// grep against a real sandbox.
import { expect, it } from "vitest";
import { grep } from "./grep.ts";
import { describeWithSandbox } from "./test-sandbox.ts";

describeWithSandbox(
  "grep",
  {
    "src/a.ts": "export function alpha() {\n  return 1;\n}\n",
    "src/b.js": "// TODO: Alpha in js\nconst beta = 2;\n",
    "docs/notes.md": "todo: write docs\n",
  },
  (fixture) => {
    it("returns matching lines as path:line:text", async () => {
      const found = await fixture().call(grep, { pattern: "function \\w+\\(" });
      expect(found).toEqual({ isError: false, output: "src/a.ts:1:export function alpha() {" });
    });

    it('answers "no matches" without an error', async () => {
      const none = await fixture().call(grep, { pattern: "gamma" });
      expect(none).toEqual({ isError: false, output: "No matches for gamma in .." });
    });

    it("narrows by path, file name and case, and lists files only when asked", async () => {
      const inSrc = await fixture().call(grep, { pattern: "todo", path: "src", ignore_case: true });
      expect(inSrc.output).toBe("src/b.js:1:// TODO: Alpha in js");
      const onlyTs = await fixture().call(grep, {
        pattern: "alpha",
        include: "*.{ts,md}",
        ignore_case: true,
      });
      expect(onlyTs.output).toBe("src/a.ts:1:export function alpha() {");
      const files = await fixture().call(grep, { pattern: "(?i)todo", files_only: true });
      expect(files.output.split("\n").sort()).toEqual(["docs/notes.md", "src/b.js"]);
      const oneFile = await fixture().call(grep, { pattern: "beta", path: "/workspace/src/b.js" });
      expect(oneFile.output).toBe("src/b.js:2:const beta = 2;");
    });

    it("shows context lines around matches", async () => {
      const found = await fixture().call(grep, { pattern: "return", context: 1 });
      expect(found.output).toBe(
        "src/a.ts-1-export function alpha() {\nsrc/a.ts:2:  return 1;\nsrc/a.ts-3-}",
      );
    });

    it("skips node_modules", async () => {
      await fixture().shell(
        "mkdir -p node_modules/x && echo 'const beta = 3;' > node_modules/x/i.js",
      );
      const found = await fixture().call(grep, { pattern: "beta" });
      expect(found.output).toBe("src/b.js:2:const beta = 2;");
    });

    it("explains an invalid pattern, a missing path and a path in include", async () => {
      const invalid = await fixture().call(grep, { pattern: "alpha(" });
      expect(invalid).toMatchObject({
        isError: true,
        output: expect.stringMatching(/^grep failed: .*parenthes/),
      });
      const missing = await fixture().call(grep, { pattern: "x", path: "nope" });
      expect(missing).toMatchObject({
        isError: true,
        output: expect.stringContaining("No such file"),
      });
      const include = await fixture().call(grep, { pattern: "x", include: "src/*.ts" });
      expect(include).toMatchObject({
        isError: true,
        output: expect.stringContaining("file names only"),
      });
    });

    it("cuts long output in the middle and long lines", async () => {
      await fixture().shell(
        "seq -f 'match %g' 1 20000 > big.txt; printf 'match %04000d\\n' 0 > wide.txt",
      );
      const big = await fixture().call(grep, { pattern: "match", path: "big.txt" });
      expect(big.output).toMatch(/^big\.txt:1:match 1\n/);
      expect(big.output).toMatch(
        /\[… .* cut from the middle … Narrow the search to see the rest\.\]/,
      );
      expect(big.output).toMatch(/big\.txt:20000:match 20000$/);
      const wide = await fixture().call(grep, { pattern: "match", path: "wide.txt" });
      expect(wide.output).toMatch(/… \[line cut: \d+ more characters\]$/);
    });
  },
);
