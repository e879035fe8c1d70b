import { describe, expect, it } from "vitest";
import { formatInput, summarizeInput, toolGlyph } from "./tool-summary.ts";

describe("summarizeInput", () => {
  it("prefers the command or the path of a call", () => {
    expect(summarizeInput({ timeoutMs: 5, command: "npm test" })).toBe("npm test");
    expect(summarizeInput({ argv: ["git", "status"] })).toBe("git status");
    expect(summarizeInput({ content: "x", path: "src/a.ts" })).toBe("src/a.ts");
  });

  it("falls back to the first text field, then to compact JSON, on one line", () => {
    expect(summarizeInput({ n: 1, note: "two\nlines" })).toBe("two lines");
    expect(summarizeInput({ n: 1 })).toBe('{"n":1}');
    expect(summarizeInput(undefined)).toBe("");
    expect(summarizeInput({ path: "a".repeat(100) }, 10)).toBe("aaaaaaaaa…");
  });
});

describe("formatInput", () => {
  it("shows one field a line with multi-line text as it is", () => {
    expect(formatInput({ path: "a.ts", content: "one\ntwo" })).toBe(
      'path: "a.ts"\ncontent:\n  one\n  two',
    );
    expect(formatInput(undefined)).toBe("(not recorded)");
  });
});

describe("toolGlyph", () => {
  it("guesses a glyph from the tool's name", () => {
    expect(toolGlyph("git_diff")).toBe("±");
    expect(toolGlyph("edit_file")).toBe("✎");
    expect(toolGlyph("run_command")).toBe("$");
    expect(toolGlyph("mystery")).toBe("•");
  });
});
