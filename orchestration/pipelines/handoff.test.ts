// What a role hands over: the handoff tool's input and the fields the next roles receive.
import { describe, expect, it } from "vitest";
import { accumulatedFields, HandoffInputSchema, handoffFrom } from "./handoff.ts";
import type { Handoff } from "./handoff.ts";

const messagesOf = (input: unknown) => {
  const parsed = HandoffInputSchema.safeParse(input);
  return parsed.success ? [] : parsed.error.issues.map((issue) => issue.message);
};

describe("HandoffInputSchema", () => {
  it("takes a summary, a verdict and fields", () => {
    const input = { summary: "Reviewed.", verdict: "changes_requested", fields: { findings: "x" } };
    expect(HandoffInputSchema.parse(input)).toEqual(input);
  });

  it("tells the agent what is missing or wrong", () => {
    expect(messagesOf({})).toEqual([
      "summary is required: say what you did and what the roles after you need to know",
    ]);
    expect(messagesOf({ summary: " " })).toEqual(["summary must say what you did"]);
    expect(messagesOf({ summary: "ok", verdict: "Looks Good" })[0]).toMatch(
      /^must be a verdict word/,
    );
    expect(messagesOf({ summary: "ok", extra: 1 })).toEqual([
      "the handoff takes only summary, verdict and fields",
    ]);
  });

  it("refuses field names that are not snake_case, and summary and verdict as fields", () => {
    const messages = messagesOf({ summary: "ok", fields: { "Test Plan": "x", summary: "y" } });
    expect(messages).toEqual([
      'the field name "Test Plan" must be lower-case letters, digits and underscores, starting with a letter, at most 40 characters',
      'the field name "summary" is taken: pass it as the summary argument instead',
    ]);
  });

  it("limits the number of fields and the length of text", () => {
    const fields = Object.fromEntries(Array.from({ length: 21 }, (_, i) => [`f${i}`, "x"]));
    expect(messagesOf({ summary: "ok", fields })).toEqual(["fields may hold at most 20 entries"]);
    expect(messagesOf({ summary: "x".repeat(20_001) })).toEqual([
      "summary must be at most 20000 characters; put details in fields",
    ]);
  });
});

describe("accumulatedFields", () => {
  const review: Handoff = handoffFrom("review", {
    summary: "Two findings.",
    verdict: "changes_requested",
    fields: { findings: "a\nb", scope: "api" },
  });
  const fix: Handoff = handoffFrom("fix", { summary: "Fixed both.", fields: { findings: "" } });

  it("exposes the summary and the verdict as fields", () => {
    expect(accumulatedFields([review])).toEqual({
      findings: "a\nb",
      scope: "api",
      summary: "Two findings.",
      verdict: "changes_requested",
    });
  });

  it("lets later handoffs override earlier ones and keeps a verdict no later role replaced", () => {
    expect(accumulatedFields([review, fix])).toEqual({
      findings: "",
      scope: "api",
      summary: "Fixed both.",
      verdict: "changes_requested",
    });
  });

  it("is empty with no handoffs", () => {
    expect(accumulatedFields([])).toEqual({});
  });
});
