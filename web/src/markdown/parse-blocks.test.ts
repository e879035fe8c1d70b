import { describe, expect, it } from "vitest";
import { parseMarkdown } from "./parse-blocks.ts";

const text = (t: string) => ({ type: "text", text: t });

describe("parseMarkdown", () => {
  it("splits paragraphs at blank lines and reads headings", () => {
    expect(parseMarkdown("# Plan\n\nFirst line\nsecond line\n\nNext")).toEqual([
      { type: "heading", level: 1, inlines: [text("Plan")] },
      { type: "paragraph", inlines: [text("First line\nsecond line")] },
      { type: "paragraph", inlines: [text("Next")] },
    ]);
  });

  it("reads fenced code verbatim, and runs an unclosed fence to the end while it streams", () => {
    expect(parseMarkdown("```ts\nconst a = *b*;\n```\nafter")).toEqual([
      { type: "code", lang: "ts", text: "const a = *b*;" },
      { type: "paragraph", inlines: [text("after")] },
    ]);
    expect(parseMarkdown("~~~\nline 1\nline 2")).toEqual([
      { type: "code", lang: "", text: "line 1\nline 2" },
    ]);
  });

  it("reads tight and loose, ordered and nested lists", () => {
    const [list] = parseMarkdown("3. one\n4. two\n   - inner\n5. three");
    expect(list).toMatchObject({ type: "list", ordered: true, start: 3, loose: false });
    expect(list).toHaveProperty("items.length", 3);
    expect(list).toHaveProperty("items.1.1", {
      type: "list",
      ordered: false,
      start: 1,
      loose: false,
      items: [[{ type: "paragraph", inlines: [text("inner")] }]],
    });
    const [loose] = parseMarkdown("- a\n\n- b");
    expect(loose).toMatchObject({ type: "list", loose: true });
  });

  it("lets a list interrupt a paragraph and ends it at an unindented paragraph", () => {
    expect(parseMarkdown("Steps:\n- a\n- b\n\nDone").map((block) => block.type)).toEqual([
      "paragraph",
      "list",
      "paragraph",
    ]);
  });

  it("reads quotes, rules and tables", () => {
    expect(parseMarkdown("> quoted\n\n---\n\n| a | b |\n|:--|--:|\n| 1 | 2 |")).toEqual([
      { type: "quote", blocks: [{ type: "paragraph", inlines: [text("quoted")] }] },
      { type: "rule" },
      {
        type: "table",
        align: ["left", "right"],
        head: [[text("a")], [text("b")]],
        rows: [[[text("1")], [text("2")]]],
      },
    ]);
  });
});
