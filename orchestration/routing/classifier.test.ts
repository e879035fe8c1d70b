import { describe, expect, it } from "vitest";
import type { RoutingGuide } from "../../protocol/routing.ts";
import { classifyRequest, type Ask } from "./classifier.ts";

const guide: RoutingGuide = {
  org: "acme",
  source: "api",
  updatedAt: 1,
  spaces: [
    {
      name: "staging",
      kind: "environment",
      repo: "acme/shop",
      environment: "staging",
      purpose: "Pre-release deploys of the shop.",
      coverage: ["deploys", "feature flags"],
    },
    {
      name: "production",
      kind: "environment",
      repo: "acme/shop",
      environment: "production",
      purpose: "Live traffic.",
      coverage: ["incidents"],
    },
    {
      name: "runbooks",
      kind: "repository",
      repo: "acme/runbooks",
      environment: null,
      purpose: "How we operate.",
      coverage: [],
    },
  ],
};

/** A fake model that answers `text` and records what it was asked. */
function answering(text: string) {
  const asked: Parameters<Ask>[0][] = [];
  const ask: Ask = async (request) => {
    asked.push(request);
    return text;
  };
  return { ask, asked };
}

const classify = (text: string, fanOut = false) =>
  classifyRequest({ request: "Why is checkout slow?", guide, fanOut }, answering(text).ask);

describe("classifyRequest", () => {
  it("lists every space and the rules in the prompt, and marks a request that spans spaces", async () => {
    const model = answering('{"route":"space","space":"staging","reason":"deploys"}');
    await classifyRequest({ request: "Compare flags", guide, fanOut: true }, model.ask);
    const { system, user, maxTokens } = model.asked[0]!;
    for (const text of ["name: staging", "environment: production", "repository: acme/runbooks"])
      expect(system).toContain(text);
    expect(system).toContain("covers: deploys, feature flags");
    expect(system).toMatch(/Fan out to several spaces only when/);
    expect(system).toContain('{"route":"unknown"');
    expect(user).toContain("marked this request as spanning several spaces");
    expect(user).toContain("Compare flags");
    expect(maxTokens).toBeGreaterThan(0);
  });

  it("routes to the one space the model names, reading JSON wrapped in prose and fences", async () => {
    expect(
      await classify(
        'Here you go:\n```json\n{"route":"space","space":"Production","reason":"live"}\n```',
      ),
    ).toEqual({ kind: "space", space: "production", reason: "live" });
  });

  it("fans out with every other space listed as skipped", async () => {
    const decision = await classify(
      '{"route":"fan_out","spaces":["staging","production"],"skipped":[{"space":"runbooks","reason":"no code"}],"reason":"compare"}',
    );
    expect(decision).toEqual({
      kind: "fan_out",
      spaces: ["staging", "production"],
      skipped: [{ space: "runbooks", reason: "no code" }],
      reason: "compare",
    });
  });

  it("turns a fan-out to a single space into a route to that space", async () => {
    expect(
      await classify(
        '{"route":"fan_out","spaces":["staging","staging"],"skipped":[],"reason":"r"}',
        true,
      ),
    ).toEqual({ kind: "space", space: "staging", reason: "r" });
  });

  it("asks the person, listing candidates, when the model names a space the guide lacks", async () => {
    expect(await classify('{"route":"space","space":"billing","reason":"x"}')).toEqual({
      kind: "unknown",
      question:
        "There is no space `billing` in the guide. Which space is this request for: staging, production or runbooks?",
      candidates: ["staging", "production", "runbooks"],
    });
    expect(
      await classify('{"route":"fan_out","spaces":["staging","qa"],"skipped":[],"reason":"x"}'),
    ).toMatchObject({ kind: "unknown", question: /no space `qa`/ });
  });

  it("keeps the model's question and only the candidates the guide knows", async () => {
    expect(
      await classify(
        '{"route":"unknown","question":"Staging or prod?","candidates":["staging","prod"]}',
      ),
    ).toEqual({ kind: "unknown", question: "Staging or prod?", candidates: ["staging"] });
  });

  it("never throws on output it cannot read", async () => {
    for (const text of ["", "I think staging.", '{"route":"teleport"}', '{"route":"space"}'])
      expect(await classify(text)).toMatchObject({
        kind: "unknown",
        candidates: ["staging", "production", "runbooks"],
      });
  });

  it("says there is no guide without asking the model when the guide has no spaces", async () => {
    const model = answering("{}");
    const decision = await classifyRequest(
      { request: "x", guide: { ...guide, spaces: [] }, fanOut: false },
      model.ask,
    );
    expect(decision).toMatchObject({
      kind: "unknown",
      question: /no routing guide for acme/,
      candidates: [],
    });
    expect(model.asked).toEqual([]);
  });

  it("lets a failed model call propagate", async () => {
    const ask: Ask = async () => {
      throw new Error("model unavailable");
    };
    await expect(classifyRequest({ request: "x", guide, fanOut: false }, ask)).rejects.toThrow(
      "model unavailable",
    );
  });
});
