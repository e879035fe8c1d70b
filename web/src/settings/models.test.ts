import { describe, expect, it } from "vitest";
import {
  DEFAULT_MODEL,
  MODEL_CHOICES,
  modelNameProblem,
  modelOf,
  OTHER_MODEL,
  pickFor,
} from "./models.ts";

describe("modelNameProblem", () => {
  it("accepts the names the API accepts", () => {
    for (const name of ["claude-opus-5-5", "anthropic/claude-x@2026-01-01", "us.model:v1_2"])
      expect(modelNameProblem(name)).toBeNull();
  });

  it("asks for a name when there is none", () => {
    expect(modelNameProblem("   ")).toMatch(/Write the model's name/);
  });

  it("refuses spaces and other characters the API refuses", () => {
    expect(modelNameProblem("claude sonnet")).toMatch(/only letters, digits/);
    expect(modelNameProblem("claude;rm")).toMatch(/only letters, digits/);
  });

  it("refuses names over 100 characters", () => {
    expect(modelNameProblem("a".repeat(101))).toMatch(/at most 100/);
    expect(modelNameProblem("a".repeat(100))).toBeNull();
  });
});

describe("model picks", () => {
  it("lists the default model first", () => {
    expect(MODEL_CHOICES[0]!.id).toBe(DEFAULT_MODEL);
  });

  it("shows a listed model as its entry and any other as typed text", () => {
    expect(pickFor("claude-haiku-5-5")).toEqual({ choice: "claude-haiku-5-5", other: "" });
    expect(pickFor("claude-haiku-4-5")).toEqual({ choice: OTHER_MODEL, other: "claude-haiku-4-5" });
  });

  it("names the typed model, trimmed, or says what is wrong with it", () => {
    expect(modelOf({ choice: OTHER_MODEL, other: " my-model " })).toEqual({
      ok: true,
      model: "my-model",
    });
    expect(modelOf({ choice: OTHER_MODEL, other: "" })).toMatchObject({ ok: false });
    expect(modelOf({ choice: "claude-opus-5-5", other: "ignored" })).toEqual({
      ok: true,
      model: "claude-opus-5-5",
    });
  });
});
