// read_file against a real sandbox: windows, limits, and the errors that say what to do.
import { expect, it } from "vitest";
import { MAX_READ_LINES, readFile } from "./read-file.ts";
import { describeWithSandbox } from "./test-sandbox.ts";

const tenLines = Array.from({ length: 10 }, (_, i) => `line ${i + 1}`).join("\n") + "\n";

describeWithSandbox(
  "read_file",
  { "ten.txt": tenLines, "src/empty.ts": "", "crlf.txt": "one\r\ntwo\r\n" },
  (fixture) => {
    it("numbers every line of a small file and adds nothing else", async () => {
      const read = await fixture().call(readFile, { path: "ten.txt" });
      expect(read.isError).toBe(false);
      expect(read.output.split("\n")).toHaveLength(10);
      expect(read.output).toMatch(/^ {5}1\tline 1\n/);
      expect(read.output).toMatch(/ {4}10\tline 10$/);
    });

    it("returns the asked window and says where to read on", async () => {
      const read = await fixture().call(readFile, {
        path: "/workspace/ten.txt",
        offset: 3,
        limit: 4,
      });
      expect(read.output).toBe(
        [
          "     3\tline 3",
          "     4\tline 4",
          "     5\tline 5",
          "     6\tline 6",
          "",
          "(Lines 3–6 of 10 shown. Call read_file with offset=7 to read on.)",
        ].join("\n"),
      );
    });

    it(`stops at ${MAX_READ_LINES} lines of a long file`, async () => {
      await fixture().shell("seq 1 2500 > long.txt");
      const read = await fixture().call(readFile, { path: "long.txt" });
      expect(read.output).toContain(
        `  2000\t2000\n\n(Lines 1–2000 of 2500 shown. Call read_file with offset=2001`,
      );
      const rest = await fixture().call(readFile, { path: "long.txt", offset: 2001 });
      expect(rest.output.split("\n")).toHaveLength(500);
    });

    it("cuts very long lines", async () => {
      await fixture().shell("printf '%05000d\\n' 0 > wide.txt");
      const read = await fixture().call(readFile, { path: "wide.txt" });
      expect(read.output).toContain("… [line cut: 3000 more characters]");
    });

    it("shows Windows line ends without the carriage return", async () => {
      const read = await fixture().call(readFile, { path: "crlf.txt" });
      expect(read.output).toBe("     1\tone\n     2\ttwo");
    });

    it("tells the model to look for a file that is not there", async () => {
      const read = await fixture().call(readFile, { path: "src/missing.ts" });
      expect(read.isError).toBe(true);
      expect(read.output).toMatch(/no file at src\/missing\.ts.*list_files or glob/);
    });

    it("refuses folders, binary files and offsets past the end with what to do instead", async () => {
      await fixture().shell("printf 'PK\\003\\004\\000\\000' > archive.zip");
      const folder = await fixture().call(readFile, { path: "src" });
      expect(folder).toMatchObject({
        isError: true,
        output: expect.stringContaining("is a directory"),
      });
      const binary = await fixture().call(readFile, { path: "archive.zip" });
      expect(binary).toMatchObject({
        isError: true,
        output: expect.stringContaining("is a binary file"),
      });
      const past = await fixture().call(readFile, { path: "ten.txt", offset: 11 });
      expect(past).toMatchObject({
        isError: true,
        output: "ten.txt has 10 lines; offset 11 is past its end.",
      });
    });

    it("says when a file is empty", async () => {
      const read = await fixture().call(readFile, { path: "src/empty.ts" });
      expect(read).toEqual({ isError: false, output: "(src/empty.ts is empty.)" });
    });
  },
);
