import { describe, expect, it } from "vitest";
import type { Space } from "../protocol/routing.ts";
import {
  nothingToCompare,
  spacePrompt,
  synthesisMessage,
  timeoutReason,
  withSkippedNamed,
} from "./fan-out.ts";

const staging: Space = {
  name: "staging",
  kind: "environment",
  repo: "acme/shop",
  environment: "staging",
  purpose: "Pre-release deploys.",
  coverage: ["deploys"],
};

describe("fan-out texts", () => {
  it("gives each space its own context before the question", () => {
    const prompt = spacePrompt(staging, "Which Node version runs?");
    expect(prompt.indexOf("the staging environment of acme/shop")).toBeLessThan(
      prompt.indexOf("Which Node version runs?"),
    );
    expect(prompt).toContain("Pre-release deploys.");
  });

  it("puts the question before the answers, and lists what was skipped", () => {
    const message = synthesisMessage(
      "Which Node version?",
      [{ space: "production", sessionId: "ses_1", answer: "Node 20" }],
      [{ space: "staging", reason: timeoutReason(90_000) }],
    );
    expect(message.startsWith("The question: Which Node version?")).toBe(true);
    expect(message).toContain("## Answer from production\nNode 20");
    expect(message).toContain("- staging: did not answer within 90 s and was skipped");
  });

  it("names every skipped space even when the comparison forgot one", () => {
    const skipped = [{ space: "staging", reason: "did not answer" }];
    expect(withSkippedNamed("Only production answered: Node 20.", skipped)).toContain(
      "- staging: did not answer",
    );
    expect(withSkippedNamed("staging did not answer.", skipped)).toBe("staging did not answer.");
    expect(nothingToCompare(skipped)).toContain("nothing to compare");
  });
});
