import { describe, expect, it } from "vitest";
import { MAX_PURPOSE_CHARS, RoutingGuideSchema } from "../../protocol/routing.ts";
import { oneParagraph, proposeGuide, summaryPrompt, type SpaceDraft } from "./discovery.ts";

const staging: SpaceDraft = {
  name: "staging",
  kind: "environment",
  repo: "acme/shop",
  environment: "staging",
  coverage: ["deploys"],
};
const runbooks: SpaceDraft = {
  name: "runbooks",
  kind: "repository",
  repo: "acme/runbooks",
  environment: null,
  coverage: [],
  purpose: "Ops notes.",
};

describe("summaryPrompt", () => {
  it("names the space, where it lives, and asks for one paragraph only", () => {
    const prompt = summaryPrompt(staging);
    expect(prompt).toContain("`staging` environment of the repository acme/shop");
    expect(prompt).toContain("Topics it is said to cover: deploys.");
    expect(prompt).toMatch(/one paragraph/);
    expect(prompt).toMatch(/what it is for, what it covers/);
    expect(prompt).not.toContain("current description");
  });

  it("shows a draft purpose as possibly out of date", () => {
    expect(summaryPrompt(runbooks)).toContain('may be out of date: "Ops notes."');
    expect(summaryPrompt(runbooks)).toContain("the repository acme/runbooks");
  });
});

describe("proposeGuide", () => {
  it("uses each summary as the purpose and reports the spaces that gave none", () => {
    const { guide, skipped } = proposeGuide("acme", [
      { space: staging, summary: "  Pre-release deploys of\nthe shop.\n\nA second paragraph.  " },
      { space: runbooks, summary: null },
      { space: { ...runbooks, name: "docs" }, summary: "```\n\n```" },
    ]);
    expect(guide).toEqual({
      org: "acme",
      source: "proposed",
      updatedAt: null,
      spaces: [{ ...staging, purpose: "Pre-release deploys of the shop." }],
    });
    expect(RoutingGuideSchema.safeParse(guide).success).toBe(true);
    expect(skipped).toEqual([
      { space: "runbooks", reason: "the session in this space gave no summary" },
      { space: "docs", reason: "the session in this space gave an empty summary" },
    ]);
  });

  it("keeps the first space of a name and reports the repeat", () => {
    const { guide, skipped } = proposeGuide("acme", [
      { space: runbooks, summary: "One." },
      { space: runbooks, summary: "Two." },
    ]);
    expect(guide.spaces.map((s) => s.purpose)).toEqual(["One."]);
    expect(skipped).toEqual([{ space: "runbooks", reason: expect.stringMatching(/already/) }]);
  });
});

describe("oneParagraph", () => {
  it("caps a long summary at the purpose limit, cutting at a word", () => {
    const long = oneParagraph("word ".repeat(1_000));
    expect(long.length).toBeLessThanOrEqual(MAX_PURPOSE_CHARS);
    expect(long.endsWith("word…")).toBe(true);
  });
});
