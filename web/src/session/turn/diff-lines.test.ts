import { describe, expect, it } from "vitest";
import { diffLines, looksLikeDiff } from "./diff-lines.ts";

const diff = [
  "diff --git a/x.ts b/x.ts",
  "--- a/x.ts",
  "+++ b/x.ts",
  "@@ -1,2 +1,2 @@",
  " same",
  "-old",
  "+new",
].join("\n");

describe("diff lines", () => {
  it("recognises a unified diff by its hunk header", () => {
    expect(looksLikeDiff(diff)).toBe(true);
    expect(looksLikeDiff("- a list\n+ not a diff")).toBe(false);
  });

  it("colours file headers as meta rather than as removed or added lines", () => {
    expect(diffLines(diff).map((line) => line.kind)).toEqual([
      "meta",
      "meta",
      "meta",
      "hunk",
      "context",
      "del",
      "add",
    ]);
  });
});
