import { describe, expect, it } from "vitest";
import { canLeave, canRemove } from "./abilities.ts";

const bob = { person: { userId: "usr_bob" }, role: "collaborator" as const };
const ada = { person: { userId: "usr_ada" }, role: "owner" as const };

describe("leaving and removing in the web app", () => {
  it("offers leaving to everyone but the owner", () => {
    expect([canLeave("owner"), canLeave("collaborator"), canLeave("viewer")]).toEqual([
      false,
      true,
      true,
    ]);
  });

  it("offers the owner a removal on everyone else's row, and nobody else any", () => {
    expect(canRemove("owner", "usr_ada", bob)).toBe(true);
    expect(canRemove("owner", "usr_ada", ada)).toBe(false);
    expect(canRemove("collaborator", "usr_bob", ada)).toBe(false);
    expect(canRemove("collaborator", "usr_bob", bob)).toBe(false);
    expect(canRemove("owner", undefined, bob)).toBe(false);
  });
});
