import { describe, expect, it } from "vitest";
import type { Role } from "./events.ts";
import { ParticipantPathSchema } from "./api.ts";
import { REMOVED_CLOSE_REASONS, removal, removalOfCloseReason, type Member } from "./removal.ts";

const member = (userId: string, role: Role): Member => ({ person: { userId }, role });
const owner = member("usr_owner", "owner");
const collaborator = member("usr_collab", "collaborator");
const viewer = member("usr_viewer", "viewer");

describe("removing a participant", () => {
  it("lets the owner remove a collaborator or a viewer", () => {
    expect(removal(owner, collaborator.person.userId, collaborator)).toEqual({
      ok: true,
      value: "removed",
    });
    expect(removal(owner, viewer.person.userId, viewer)).toEqual({ ok: true, value: "removed" });
  });

  it("lets anyone but the owner leave", () => {
    expect(removal(collaborator, collaborator.person.userId, collaborator)).toEqual({
      ok: true,
      value: "left",
    });
    expect(removal(viewer, viewer.person.userId, viewer)).toEqual({ ok: true, value: "left" });
  });

  it("keeps the owner in, whoever asks", () => {
    expect(removal(owner, owner.person.userId, owner)).toMatchObject({
      ok: false,
      error: { code: "forbidden", message: expect.stringContaining("cannot leave") },
    });
    for (const actor of [collaborator, viewer])
      expect(removal(actor, owner.person.userId, owner)).toMatchObject({
        ok: false,
        error: { code: "forbidden" },
      });
  });

  it("refuses collaborators and viewers who remove someone else, naming their role", () => {
    expect(removal(collaborator, viewer.person.userId, viewer)).toMatchObject({
      ok: false,
      error: {
        code: "forbidden",
        message:
          "As a collaborator you cannot remove other people from this session; only its owner can.",
      },
    });
    expect(removal(viewer, collaborator.person.userId, collaborator)).toMatchObject({
      ok: false,
      error: { code: "forbidden" },
    });
  });

  it("answers not_found to outsiders, and to the owner naming someone who takes no part", () => {
    expect(removal(undefined, viewer.person.userId, viewer)).toEqual({
      ok: false,
      error: { code: "not_found", message: "Session not found." },
    });
    expect(removal(owner, "usr_nobody", undefined)).toEqual({
      ok: false,
      error: { code: "not_found", message: "That person is not a participant of this session." },
    });
  });

  it("does not tell a collaborator whether someone else takes part", () => {
    expect(removal(collaborator, "usr_nobody", undefined)).toMatchObject({
      error: { code: "forbidden" },
    });
  });
});

describe("the removal close reason", () => {
  it("reads back how the person went, taking anything unknown for a removal", () => {
    expect(removalOfCloseReason(REMOVED_CLOSE_REASONS.left)).toBe("left");
    expect(removalOfCloseReason(REMOVED_CLOSE_REASONS.removed)).toBe("removed");
    expect(removalOfCloseReason("")).toBe("removed");
  });
});

describe("the participant path", () => {
  it("takes user ids only", () => {
    expect(
      ParticipantPathSchema.safeParse({ userId: "usr_01m7z01n7z2bjf7s6wqdzc955f" }).success,
    ).toBe(true);
    for (const userId of [
      "ses_01m7z01n7z2bjf7s6wqdzc955f",
      "usr_short",
      "usr_01M7Z01N7Z2BJF7S6WQDZC955F",
      "",
    ])
      expect(ParticipantPathSchema.safeParse({ userId }).success, userId).toBe(false);
  });
});
