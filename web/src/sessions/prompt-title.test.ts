import { describe, expect, it } from "vitest";
import { MAX_TITLE_CHARS, titleFromPrompt } from "./prompt-title.ts";

describe("titleFromPrompt", () => {
  it("takes the first line that has text", () => {
    expect(titleFromPrompt("\n  \nAdd a median function\nwith tests")).toBe(
      "Add a median function",
    );
  });

  it("drops Markdown heading marks and squeezes spaces", () => {
    expect(titleFromPrompt("## Speed   up\tthe build")).toBe("Speed up the build");
  });

  it("cuts a long line to the API's limit with an ellipsis", () => {
    const title = titleFromPrompt("x".repeat(500));
    expect(title).toHaveLength(MAX_TITLE_CHARS);
    expect(title.endsWith("…")).toBe(true);
  });

  it("is empty for a blank prompt", () => {
    expect(titleFromPrompt("  \n ")).toBe("");
  });
});
