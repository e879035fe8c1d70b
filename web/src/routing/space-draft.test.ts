import { describe, expect, it } from "vitest";
import { draftOf, emptyDraft, rowOfError, spaceOf } from "./space-draft.ts";

describe("space drafts", () => {
  it("round-trips a stored space through its draft", () => {
    const space = {
      name: "staging",
      kind: "environment" as const,
      repo: "acme/app",
      environment: "staging",
      purpose: "The staging deploy.",
      coverage: ["deploys", "smoke tests"],
    };
    expect(spaceOf(draftOf(space))).toEqual(space);
  });

  it("trims fields, splits topics on commas and drops the environment of a repository space", () => {
    const draft = {
      ...emptyDraft("acme/app"),
      name: " web ",
      environment: "prod",
      purpose: " The web app. ",
      coverage: "ui, , billing ,",
    };
    expect(spaceOf(draft)).toEqual({
      name: "web",
      kind: "repository",
      repo: "acme/app",
      environment: null,
      purpose: "The web app.",
      coverage: ["ui", "billing"],
    });
  });

  it("sends no environment for an environment space left blank, so the server names the gap", () => {
    expect(spaceOf({ ...emptyDraft("acme/app"), kind: "environment" }).environment).toBeNull();
  });

  it("finds the row a server error is about, by index or by the name it quotes", () => {
    const drafts = [
      { ...emptyDraft(), name: "web" },
      { ...emptyDraft(), name: "api" },
    ];
    expect(rowOfError("Invalid body at spaces.1.purpose: say what the space is for.", drafts)).toBe(
      1,
    );
    expect(rowOfError("The space `api` names acme/x, which is not registered.", drafts)).toBe(1);
    expect(rowOfError("the space name `web` is used more than once", drafts)).toBe(0);
    expect(rowOfError("Something else went wrong.", drafts)).toBeNull();
  });
});
