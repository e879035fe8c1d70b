import { describe, expect, it } from "vitest";
import { safeHref } from "./safe-href.ts";

describe("safeHref", () => {
  it("allows absolute http, https and mailto addresses", () => {
    expect(safeHref("https://example.com/a?b=c#d")).toBe("https://example.com/a?b=c#d");
    expect(safeHref("http://localhost:8787")).toBe("http://localhost:8787");
    expect(safeHref("mailto:ada@example.com")).toBe("mailto:ada@example.com");
  });

  it("refuses script, data and relative addresses, including disguised schemes", () => {
    for (const href of [
      "javascript:alert(1)",
      "JAVASCRIPT:alert(1)",
      "data:text/html,x",
      "/etc",
      "vbscript:x",
      "java\tscript:alert(1)",
      " javascript:x",
    ]) {
      expect(safeHref(href)).toBeNull();
    }
  });
});
