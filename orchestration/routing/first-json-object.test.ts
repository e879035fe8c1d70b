import { describe, expect, it } from "vitest";
import { firstJsonObject } from "./first-json-object.ts";

describe("firstJsonObject", () => {
  it("reads an object wrapped in prose and a code fence", () => {
    const text =
      'Sure! Here it is:\n```json\n{"route":"space","space":"web","reason":"a } in text"}\n```\nDone.';
    expect(firstJsonObject(text)).toEqual({ route: "space", space: "web", reason: "a } in text" });
  });

  it("skips braces that are not JSON and finds the object after them", () => {
    expect(firstJsonObject('Use {space} here: {"route":"unknown"}')).toEqual({ route: "unknown" });
    expect(firstJsonObject('An unclosed { then {"route":"unknown"}')).toEqual({ route: "unknown" });
  });

  it("finds nothing in text without a complete object", () => {
    expect(firstJsonObject("no json at all")).toBeUndefined();
    expect(firstJsonObject('{"route": "space", ')).toBeUndefined();
    expect(firstJsonObject("[1, 2]")).toBeUndefined();
  });
});
