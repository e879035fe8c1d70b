// OpenAPI 3.0's `nullable` rewritten into JSON Schema.
import { describe, expect, it } from "vitest";
import { rewriteNullable } from "./nullable.ts";

describe("rewriteNullable", () => {
  it("adds null to a typed node's type and enum", () => {
    const schema = { type: "string", nullable: true, enum: ["a", "b"] };
    rewriteNullable(schema);
    expect(schema).toEqual({ type: ["string", "null"], enum: ["a", "b", null] });
  });

  it("wraps a node without a type in anyOf with null", () => {
    const schema = {
      properties: { license: { nullable: true, allOf: [{ $ref: "#/x" }], description: "d" } },
    };
    rewriteNullable(schema);
    expect(schema.properties.license).toEqual({
      anyOf: [{ allOf: [{ $ref: "#/x" }], description: "d" }, { type: "null" }],
    });
  });

  it("drops nullable: false and leaves a property named nullable alone", () => {
    const schema = {
      type: "object",
      nullable: false,
      properties: { nullable: { type: "boolean" } },
    };
    rewriteNullable(schema);
    expect(schema).toEqual({ type: "object", properties: { nullable: { type: "boolean" } } });
  });

  it("rewrites nodes nested in arrays", () => {
    const schema = { oneOf: [{ type: "integer", nullable: true }] };
    rewriteNullable(schema);
    expect(schema).toEqual({ oneOf: [{ type: ["integer", "null"] }] });
  });
});
