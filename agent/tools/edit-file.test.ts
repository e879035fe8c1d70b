// edit_file against a real sandbox: exactly-once matching and the errors that say how to fix it.
import { expect, it } from "vitest";
import { editFile } from "./edit-file.ts";
import { describeWithSandbox } from "./test-sandbox.ts";

const SOURCE = [
  "function greet(name) {",
  '  return "hello " + name;',
  "}",
  "",
  "function part(name) {",
  '  return "bye " + name;',
  "}",
  "",
].join("\n");

describeWithSandbox(
  "edit_file",
  { "greet.js": SOURCE, "win.txt": "alpha\r\nbeta\r\ngamma\r\n" },
  (fixture) => {
    const file = (path = "greet.js") => fixture().shell(`cat ${path}`);

    it("replaces text that occurs once and shows the edited lines", async () => {
      const edit = await fixture().call(editFile, {
        path: "greet.js",
        old_string: '  return "hello " + name;',
        new_string: "  return `hello ${name}`;",
      });
      expect(edit.isError).toBe(false);
      expect(edit.output).toBe(
        [
          "Replaced 1 occurrence in greet.js.",
          "",
          "     1\tfunction greet(name) {",
          "     2\t  return `hello ${name}`;",
          "     3\t}",
          "     4\t",
          "     5\tfunction part(name) {",
        ].join("\n"),
      );
      expect(await file()).toBe(SOURCE.replace('"hello " + name', "`hello ${name}`"));
    });

    it("refuses text that is not in the file and says whitespace must match", async () => {
      const edit = await fixture().call(editFile, {
        path: "greet.js",
        old_string: 'return  "hello " + name;',
        new_string: "x",
      });
      expect(edit.isError).toBe(true);
      expect(edit.output).toMatch(/not found in greet\.js.*whitespace.*read the file again/);
      expect(await file()).toBe(SOURCE);
    });

    it("notices read_file's line numbers in old_string", async () => {
      const edit = await fixture().call(editFile, {
        path: "greet.js",
        old_string: "     1\tfunction greet(name) {",
        new_string: "x",
      });
      expect(edit.output).toContain("leave out the number and tab");
    });

    it("refuses text that occurs more than once unless told to replace all", async () => {
      const ambiguous = await fixture().call(editFile, {
        path: "greet.js",
        old_string: "(name) {",
        new_string: "(person) {",
      });
      expect(ambiguous.isError).toBe(true);
      expect(ambiguous.output).toContain("occurs 2 times in greet.js (at lines 1, 5)");
      expect(ambiguous.output).toContain("set replace_all");
      expect(await file()).toBe(SOURCE);

      const all = await fixture().call(editFile, {
        path: "greet.js",
        old_string: "name",
        new_string: "person",
        replace_all: true,
      });
      expect(all.output).toMatch(/^Replaced 4 occurrences in greet\.js\./);
      expect(await file()).toBe(SOURCE.replaceAll("name", "person"));
    });

    it("writes replacement text literally, $ patterns included", async () => {
      await fixture().call(editFile, {
        path: "greet.js",
        old_string: '"bye "',
        new_string: "'$& costs $1'",
      });
      expect(await file()).toContain("return '$& costs $1' + name;");
    });

    it("matches lines of a file with Windows line ends and keeps them", async () => {
      const edit = await fixture().call(editFile, {
        path: "win.txt",
        old_string: "alpha\nbeta",
        new_string: "alpha\nBETA",
      });
      expect(edit.isError).toBe(false);
      expect(await file("win.txt")).toBe("alpha\r\nBETA\r\ngamma\r\n");
    });

    it("refuses empty, unchanged and missing targets", async () => {
      const empty = await fixture().call(editFile, {
        path: "greet.js",
        old_string: "",
        new_string: "x",
      });
      expect(empty.output).toContain("use write_file");
      const same = await fixture().call(editFile, {
        path: "greet.js",
        old_string: "}",
        new_string: "}",
      });
      expect(same.output).toContain("nothing to change");
      const missing = await fixture().call(editFile, {
        path: "nope.js",
        old_string: "a",
        new_string: "b",
      });
      expect(missing).toMatchObject({
        isError: true,
        output: expect.stringContaining("list_files or glob"),
      });
    });
  },
);
