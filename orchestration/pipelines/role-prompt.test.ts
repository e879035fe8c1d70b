// The prompt of a role's turn: its place, its work, its notes, what it was handed and how it hands over.
import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { handoffFrom } from "./handoff.ts";
import { parsePipelineYaml } from "./parse.ts";
import { rolePrompt } from "./role-prompt.ts";
import type { RolePromptInput } from "./role-prompt.ts";

const text = await readFile(new URL("./examples/review-loop.yaml", import.meta.url), "utf8");
const parsed = parsePipelineYaml(text, "review-loop.yaml");
if (!parsed.ok) throw new Error("the review loop example does not parse");
const pipeline = parsed.value;
const [implement, review, fix] = pipeline.roles;
if (implement === undefined || review === undefined || fix === undefined)
  throw new Error("the review loop has three roles");

const DAY = 86_400_000;
const reviewHandoff = handoffFrom("review", {
  summary: "Two findings.",
  verdict: "changes_requested",
  fields: { findings: "- parse() throws on empty input\n- no test for tabs" },
});

const fixPrompt = (patch: Partial<RolePromptInput> = {}) =>
  rolePrompt({
    pipeline,
    role: fix,
    request: "Make the parser accept tabs.",
    round: 1,
    notes: [
      { text: "Run the parser tests with npm test -- parser.", source: "agent", at: 2 * DAY },
      { text: "Never change the public API of parse().", source: "person", at: 3 * DAY },
    ],
    input: {
      fields: {
        summary: "Two findings.",
        verdict: "changes_requested",
        findings: reviewHandoff.fields.findings ?? "",
      },
      verdict: "changes_requested",
      handoff: reviewHandoff,
    },
    ...patch,
  });

describe("rolePrompt", () => {
  it("says who the role is, in which pipeline and round", () => {
    const lines = fixPrompt({ round: 2 }).split("\n");
    expect(lines[0]).toBe(
      "You are `fix`, role 3 of 3 in the pipeline `review-loop`. This is round 2 of at most 3 for this role.",
    );
    expect(lines).toContain(
      "The pipeline: Implement a change, review it, fix what the review finds.",
    );
  });

  it("holds the instructions and the request", () => {
    const prompt = fixPrompt();
    expect(prompt).toContain("## Your instructions\n\nFix every finding of the review.");
    expect(prompt).toContain("## The request\n\nMake the parser accept tabs.");
  });

  it("lists person feedback first, marked as from people, then the role's own notes", () => {
    const prompt = fixPrompt();
    const feedback = prompt.indexOf("## Feedback from people on this role");
    const own = prompt.indexOf("## Your notes from earlier runs");
    expect(feedback).toBeGreaterThan(0);
    expect(own).toBeGreaterThan(feedback);
    expect(prompt).toContain("- [1970-01-04] Never change the public API of parse().");
    expect(prompt).toContain("- [1970-01-03] Run the parser tests with npm test -- parser.");
  });

  it("leaves out the notes sections when there are no notes", () => {
    const prompt = fixPrompt({ notes: [] });
    expect(prompt).not.toContain("## Feedback from people");
    expect(prompt).not.toContain("## Your notes");
  });

  it("shows what was handed over: the summary, the verdict and the fields", () => {
    expect(fixPrompt()).toContain(
      [
        "## What was handed to you",
        "",
        "`review` handed over:",
        "Two findings.",
        "",
        "Its verdict: changes_requested",
        "",
        "Fields handed over so far in this run (a later value of a field replaces an earlier one):",
        "### findings",
        "- parse() throws on empty input",
        "- no test for tabs",
      ].join("\n"),
    );
  });

  it("tells the first role nothing was handed to it", () => {
    const prompt = rolePrompt({
      pipeline,
      role: implement,
      request: "Do it.",
      round: 1,
      notes: [],
      input: { fields: {}, verdict: null, handoff: null },
    });
    expect(prompt).toContain(
      "Nothing was handed to you: you are the first role of this run to run.",
    );
    expect(prompt).toContain(
      "When you hand over, all of this must hold, or the run stops:\n- the workspace has changes against the base\n- the field `summary` is handed over and not empty",
    );
  });

  it("asks for the verdicts the role's contract and next entries name", () => {
    const prompt = rolePrompt({
      pipeline,
      role: review,
      request: "x",
      round: 1,
      notes: [],
      input: { fields: {}, verdict: null, handoff: null },
    });
    expect(prompt).toContain("- verdict: one of approved or changes_requested.");
    expect(prompt).toContain("call the `handoff` tool exactly once");
  });

  it("explains the note tool and says the fix role has no output contract", () => {
    const prompt = fixPrompt();
    expect(prompt).toContain("Your role has no output contract.");
    expect(prompt).toContain(
      "- verdict: optional; a single word, when your instructions ask for one.",
    );
    expect(prompt).toMatch(/call the `note` tool\. Notes stay with this role across runs/);
  });

  it("gives the same text for the same input", () => {
    expect(fixPrompt()).toBe(fixPrompt());
  });
});
