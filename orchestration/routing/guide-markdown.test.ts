import { describe, expect, it } from "vitest";
import type { Space } from "../../protocol/routing.ts";
import {
  guideFromRepositoryFiles,
  guideToMarkdown,
  parseAgentsRouting,
  parseGuideMarkdown,
} from "./guide-markdown.ts";

const GUIDE = `# Routing

Where work goes.

| Space | Repository | Environment | Purpose | Covers |
| --- | --- | :---: | --- | --- |
| staging | acme/shop | staging | The staging deployment of the shop. | deploys, feature flags |
| production | \`acme/shop\` | production | Live traffic; incidents and rollbacks. | incidents, rollbacks |
| runbooks | acme/runbooks |  | How we operate things. |  |
`;

describe("parseGuideMarkdown", () => {
  it("reads spaces from a table, deriving the kind from the Environment column", () => {
    const parsed = parseGuideMarkdown(GUIDE);
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.spaces.map((s) => [s.name, s.kind, s.environment])).toEqual([
      ["staging", "environment", "staging"],
      ["production", "environment", "production"],
      ["runbooks", "repository", null],
    ]);
    expect(parsed.spaces[1]!.repo).toBe("acme/shop");
    expect(parsed.spaces[0]!.coverage).toEqual(["deploys", "feature flags"]);
    expect(parsed.spaces[2]!.coverage).toEqual([]);
  });

  it("accepts the columns in any order and case, without the optional ones", () => {
    const parsed = parseGuideMarkdown(
      "| PURPOSE | space | Repository |\n|-|-|-|\n| Docs site | docs | acme/docs |\n",
    );
    expect(parsed).toMatchObject({ ok: true, spaces: [{ name: "docs", purpose: "Docs site" }] });
  });

  it("locates each problem at its line with a sentence naming the row and the value", () => {
    const parsed = parseGuideMarkdown(
      [
        "| Space | Repository | Purpose |",
        "| --- | --- | --- |",
        "| web | acme/web | The site. |",
        "| Api | acme/api | The API. |",
        "| db | foo | The database. |",
        "| web | acme/web2 | Again. |",
        "| jobs | acme/jobs |  |",
      ].join("\n"),
    );
    expect(parsed).toEqual({
      ok: false,
      issues: [
        { line: 4, message: expect.stringContaining("row 2: the space name `Api` must start") },
        { line: 5, message: "row 3: the repository `foo` is not owner/name" },
        { line: 6, message: "row 4: the space `web` is already listed on line 3" },
        { line: 7, message: "row 5: the space `jobs` has no purpose; say what it is for" },
      ],
    });
  });

  it("names missing and unknown columns, and a text without a table", () => {
    const missing = parseGuideMarkdown("\n| Space | Repo | Purpose |\n|---|---|---|\n");
    expect(missing.ok ? [] : missing.issues.map((i) => [i.line, i.message])).toEqual([
      [2, expect.stringContaining("the column `Repo` is not one Tandem reads")],
      [2, expect.stringContaining("the table has no `Repository` column")],
    ]);
    const none = parseGuideMarkdown("Just prose.\n");
    expect(none).toMatchObject({ ok: false, issues: [{ line: 1, message: /no routing table/ }] });
  });

  it("reports a row with more cells than the header (an unescaped |)", () => {
    const parsed = parseGuideMarkdown(
      "| Space | Repository | Purpose |\n|---|---|---|\n| a | acme/a | x | y |",
    );
    expect(parsed).toMatchObject({
      ok: false,
      issues: [{ line: 3, message: /4 cells .* header has 3/ }],
    });
  });
});

describe("the AGENTS.md routing section", () => {
  const agents = `# Agents\n\nBe kind.\n\n| Not | A | Guide |\n|---|---|---|\n\n## Routing\n\n${GUIDE.split("\n").slice(4).join("\n")}\n## Style\n\nShort lines.\n`;

  it("reads only the table under ## Routing, at the file's own line numbers", () => {
    const parsed = parseAgentsRouting(
      agents.replace("| runbooks | acme/runbooks", "| runbooks | nope"),
    );
    expect(parsed).toEqual({
      ok: false,
      issues: [{ line: 14, message: "row 3: the repository `nope` is not owner/name" }],
    });
  });

  it("prefers .tandem/routing.md over AGENTS.md, and finds nothing without either", () => {
    const routing =
      "| Space | Repository | Purpose |\n|---|---|---|\n| only | acme/only | One. |\n";
    expect(
      guideFromRepositoryFiles([
        { path: "AGENTS.md", text: agents },
        { path: ".tandem/routing.md", text: routing },
      ]),
    ).toMatchObject({ ok: true, path: ".tandem/routing.md", spaces: [{ name: "only" }] });
    expect(guideFromRepositoryFiles([{ path: "AGENTS.md", text: agents }])).toMatchObject({
      ok: true,
      path: "AGENTS.md",
      spaces: [{ name: "staging" }, { name: "production" }, { name: "runbooks" }],
    });
    expect(guideFromRepositoryFiles([{ path: "AGENTS.md", text: "# Agents\n" }])).toBeNull();
    expect(guideFromRepositoryFiles([])).toBeNull();
  });
});

describe("guideToMarkdown", () => {
  it("renders a table that reads back to the same spaces, pipes and line breaks included", () => {
    const spaces: Space[] = [
      {
        name: "staging",
        kind: "environment",
        repo: "acme/shop",
        environment: "staging",
        purpose: "Pre-release checks | smoke tests.\nSecond line.",
        coverage: ["deploys", "a|b"],
      },
      {
        name: "runbooks",
        kind: "repository",
        repo: "acme/runbooks",
        environment: null,
        purpose: "Operating notes with a \\ backslash.",
        coverage: [],
      },
    ];
    const markdown = guideToMarkdown(spaces);
    expect(markdown.split("\n")[0]).toBe("| Space | Repository | Environment | Purpose | Covers |");
    expect(parseGuideMarkdown(markdown)).toEqual({ ok: true, spaces });
  });
});
