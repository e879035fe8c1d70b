// Taking a person out of a session: who may remove whom, and how their open sockets are told.
import { fail, ok, type Result } from "./errors.ts";
import type { RemovalReason, Role } from "./events.ts";

/** The close code of every socket of a person who left or was removed. Clients do not reconnect. */
export const REMOVED_CLOSE_CODE = 4403;

/** The close code of a socket whose person is not (or no longer) a participant when it opens or
 * sends. Clients do not reconnect. */
export const NOT_PARTICIPANT_CLOSE_CODE = 4404;

/** The close reason sent with REMOVED_CLOSE_CODE, by how the person went. */
export const REMOVED_CLOSE_REASONS: Record<RemovalReason, string> = {
  left: "left the session",
  removed: "removed from the session",
};

/** How a socket closed with REMOVED_CLOSE_CODE went, read from its close reason. */
export function removalOfCloseReason(reason: string): RemovalReason {
  return reason === REMOVED_CLOSE_REASONS.left ? "left" : "removed";
}

/** A participant as the rule needs them. */
export interface Member {
  person: { userId: string };
  role: Role;
}

/**
 * Whether `actor` may take the person `targetId` out of the session, and how that counts: anyone
 * but the owner may leave, and the owner may remove anyone else. `actor` is undefined for an
 * outsider, who learns nothing (not_found); `target` is undefined when that person takes no part.
 */
export function removal(
  actor: Member | undefined,
  targetId: string,
  target: Member | undefined,
): Result<RemovalReason> {
  if (!actor) return fail("not_found", "Session not found.");
  const self = actor.person.userId === targetId;
  if (self && actor.role === "owner")
    return fail(
      "forbidden",
      "The owner cannot leave their own session; ownership cannot be handed to someone else.",
    );
  if (self) return ok("left");
  if (actor.role !== "owner")
    return fail(
      "forbidden",
      `As a ${actor.role} you cannot remove other people from this session; only its owner can.`,
    );
  if (!target) return fail("not_found", "That person is not a participant of this session.");
  if (target.role === "owner") return fail("forbidden", "The owner cannot be removed.");
  return ok("removed");
}
