// Resolving the paths the model gives and naming them back.
import { describe, expect, it } from "vitest";
import { displayPath, resolvePath } from "./paths.ts";

describe("resolvePath", () => {
  it("makes relative paths absolute in the workspace and normalises them", () => {
    expect(resolvePath("src/a.ts")).toBe("/workspace/src/a.ts");
    expect(resolvePath("./src//lib/../a.ts")).toBe("/workspace/src/a.ts");
    expect(resolvePath(".")).toBe("/workspace");
    expect(resolvePath(" src/ ")).toBe("/workspace/src");
    expect(resolvePath("/tmp/x/")).toBe("/tmp/x");
    expect(resolvePath("../etc/hosts")).toBe("/etc/hosts");
    expect(resolvePath("/../..")).toBe("/");
  });
});

describe("displayPath", () => {
  it("names workspace paths relative to it and others absolutely", () => {
    expect(displayPath("/workspace/src/a.ts")).toBe("src/a.ts");
    expect(displayPath("/workspace")).toBe(".");
    expect(displayPath("/workspaces/x")).toBe("/workspaces/x");
    expect(displayPath("/tmp/x")).toBe("/tmp/x");
  });
});
