// git_status and git_diff against a real sandbox.
import { expect, it } from "vitest";
import { editFile } from "./edit-file.ts";
import { gitDiff } from "./git-diff.ts";
import { gitStatus } from "./git-status.ts";
import { describeWithSandbox } from "./test-sandbox.ts";
import { writeFile } from "./write-file.ts";

describeWithSandbox(
  "git_status and git_diff",
  { "README.md": "# Demo\n\nSome text.\n", "src/a.ts": "export const a = 1;\n" },
  (fixture) => {
    it("reports a clean tree with its branch", async () => {
      const status = await fixture().call(gitStatus, {});
      expect(status).toEqual({
        isError: false,
        output: "## HEAD (no branch)\n(No changes: the working tree matches HEAD.)",
      });
      const diff = await fixture().call(gitDiff, {});
      expect(diff.output).toMatch(/^No differences\./);
    });

    it("shows edits and new files in the status and edits in the diff", async () => {
      await fixture().call(editFile, {
        path: "README.md",
        old_string: "Some text.",
        new_string: "Other text.",
      });
      await fixture().call(writeFile, { path: "src/new.ts", content: "export {};\n" });
      const status = await fixture().call(gitStatus, {});
      expect(status.output).toBe("## HEAD (no branch)\n M README.md\n?? src/new.ts");

      const diff = await fixture().call(gitDiff, {});
      expect(diff.isError).toBe(false);
      expect(diff.output).toContain("diff --git a/README.md b/README.md");
      expect(diff.output).toContain("-Some text.\n+Other text.");
      expect(diff.output).not.toContain("\u001b[");

      const stat = await fixture().call(gitDiff, { stat: true });
      expect(stat.output).toMatch(
        /README\.md \| 2 \+-\n 1 file changed, 1 insertion\(\+\), 1 deletion\(-\)/,
      );
      const other = await fixture().call(gitDiff, { path: "src" });
      expect(other.output).toMatch(/^No differences\./);
    });

    it("diffs staged changes and against a ref", async () => {
      await fixture().call(editFile, { path: "src/a.ts", old_string: "1", new_string: "2" });
      expect((await fixture().call(gitDiff, { staged: true })).output).toMatch(/^No differences\./);
      await fixture().shell("git add src/a.ts");
      const staged = await fixture().call(gitDiff, { staged: true });
      expect(staged.output).toContain("+export const a = 2;");
      const againstHead = await fixture().call(gitDiff, { ref: "HEAD", path: "src/a.ts" });
      expect(againstHead.output).toContain("-export const a = 1;");
    });

    it("explains a ref git does not know, and refuses options as refs", async () => {
      const unknown = await fixture().call(gitDiff, { ref: "no-such-branch" });
      expect(unknown).toMatchObject({
        isError: true,
        output: expect.stringMatching(/^git diff failed \(exit code 128\): /),
      });
      const option = await fixture().call(gitDiff, { ref: "--output=/tmp/x" });
      expect(option).toMatchObject({
        isError: true,
        output: expect.stringContaining("not an option"),
      });
    });

    it("runs no hooks or external diff programs the repository configures", async () => {
      await fixture().shell(
        "git config diff.external 'sh -c \"echo external > /tmp/ran\"' && echo changed >> README.md",
      );
      const diff = await fixture().call(gitDiff, {});
      expect(diff.output).toContain("+changed");
      expect(await fixture().shell("cat /tmp/ran 2>/dev/null || echo never")).toBe("never\n");
    });
  },
);
