// Glob patterns: brace expansion, matching and the fixed folders a search can start from.
import { describe, expect, it } from "vitest";
import { expandBraces, globToRegExp, splitLiteralPrefix } from "./glob-pattern.ts";

describe("expandBraces", () => {
  it("expands alternatives, nested ones too, and leaves other braces alone", () => {
    expect(expandBraces("*.{ts,tsx}")).toEqual(["*.ts", "*.tsx"]);
    expect(expandBraces("{src,test}/*.{js,mjs}")).toEqual([
      "src/*.js",
      "src/*.mjs",
      "test/*.js",
      "test/*.mjs",
    ]);
    expect(expandBraces("a{b,c{d,e}}")).toEqual(["ab", "acd", "ace"]);
    expect(expandBraces("{x}.ts")).toEqual(["{x}.ts"]);
    expect(expandBraces("{oops.ts")).toEqual(["{oops.ts"]);
    expect(expandBraces("{x}/{a,b}")).toEqual(["{x}/a", "{x}/b"]);
  });
});

describe("globToRegExp", () => {
  const matches = (glob: string, paths: string[]) =>
    paths.filter((p) => globToRegExp(glob).test(p));
  const paths = [
    "a.ts",
    "a.tsx",
    "src/b.ts",
    "src/lib/c.ts",
    "src/lib/c.test.ts",
    "docs/x.md",
    ".env",
  ];

  it("matches * within one folder and ** across folders", () => {
    expect(matches("*.ts", paths)).toEqual(["a.ts"]);
    expect(matches("**/*.ts", paths)).toEqual([
      "a.ts",
      "src/b.ts",
      "src/lib/c.ts",
      "src/lib/c.test.ts",
    ]);
    expect(matches("src/**/*.ts", paths)).toEqual([
      "src/b.ts",
      "src/lib/c.ts",
      "src/lib/c.test.ts",
    ]);
    expect(matches("src/**", paths)).toEqual(["src/b.ts", "src/lib/c.ts", "src/lib/c.test.ts"]);
    expect(matches("src/*/*.test.ts", paths)).toEqual(["src/lib/c.test.ts"]);
  });

  it("matches ?, character classes, braces and dot files", () => {
    expect(matches("?.ts", paths)).toEqual(["a.ts"]);
    expect(matches("[ab].ts*", paths)).toEqual(["a.ts", "a.tsx"]);
    expect(matches("[!a].ts", paths)).toEqual([]);
    expect(matches("**/*.{md,tsx}", paths)).toEqual(["a.tsx", "docs/x.md"]);
    expect(matches("*", paths)).toEqual(["a.ts", "a.tsx", ".env"]);
  });

  it("takes regular expression characters literally", () => {
    expect(globToRegExp("a+(b).ts").test("a+(b).ts")).toBe(true);
    expect(globToRegExp("a.ts").test("axts")).toBe(false);
    expect(globToRegExp("[oops").test("[oops")).toBe(true);
  });
});

describe("splitLiteralPrefix", () => {
  it("moves the leading folders without wildcards out of the pattern", () => {
    expect(splitLiteralPrefix("src/lib/**/*.ts")).toEqual({ prefix: "src/lib", rest: "**/*.ts" });
    expect(splitLiteralPrefix("**/*.ts")).toEqual({ prefix: "", rest: "**/*.ts" });
    expect(splitLiteralPrefix("src/index.ts")).toEqual({ prefix: "src", rest: "index.ts" });
    expect(splitLiteralPrefix("{a,b}/x.ts")).toEqual({ prefix: "", rest: "{a,b}/x.ts" });
  });
});
