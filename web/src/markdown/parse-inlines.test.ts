import { describe, expect, it } from "vitest";
import { parseInlines } from "./parse-inlines.ts";

const text = (t: string) => ({ type: "text", text: t });

describe("parseInlines", () => {
  it("reads emphasis, strong, strikethrough and code spans", () => {
    expect(parseInlines("a *b* **c** ~~d~~ `e*f`")).toEqual([
      text("a "),
      { type: "em", children: [text("b")] },
      text(" "),
      { type: "strong", children: [text("c")] },
      text(" "),
      { type: "del", children: [text("d")] },
      text(" "),
      { type: "code", text: "e*f" },
    ]);
  });

  it("nests emphasis inside strong text", () => {
    expect(parseInlines("**bold *both* bold**")).toEqual([
      {
        type: "strong",
        children: [text("bold "), { type: "em", children: [text("both")] }, text(" bold")],
      },
    ]);
  });

  it("leaves snake_case, lone stars and unclosed emphasis (still streaming) as text", () => {
    expect(parseInlines("my_var_name and 2 * 3 * 4")).toEqual([text("my_var_name and 2 * 3 * 4")]);
    expect(parseInlines("**still stream")).toEqual([text("**still stream")]);
  });

  it("links only to http, https and mailto addresses", () => {
    expect(parseInlines("[docs](https://example.com/a_(b))")).toEqual([
      { type: "link", href: "https://example.com/a_(b)", children: [text("docs")] },
    ]);
    expect(parseInlines("[x](javascript:alert(1))")).toEqual([
      { type: "link", href: null, children: [text("x")] },
    ]);
    expect(parseInlines("[y](data:text/html,hi)")).toEqual([
      { type: "link", href: null, children: [text("y")] },
    ]);
  });

  it("turns bare and angle-bracket URLs into links without the closing punctuation", () => {
    expect(parseInlines("see https://example.com/x.")).toEqual([
      text("see "),
      { type: "link", href: "https://example.com/x", children: [text("https://example.com/x")] },
      text("."),
    ]);
    expect(parseInlines("<mailto:a@b.c>")).toEqual([
      { type: "link", href: "mailto:a@b.c", children: [text("mailto:a@b.c")] },
    ]);
  });

  it("honours backslash escapes and hard line breaks", () => {
    expect(parseInlines("\\*not em\\*")).toEqual([text("*not em*")]);
    expect(parseInlines("one  \ntwo")).toEqual([text("one"), { type: "break" }, text("two")]);
  });

  it("keeps an unclosed code span literal", () => {
    expect(parseInlines("run `npm te")).toEqual([text("run `npm te")]);
  });
});
