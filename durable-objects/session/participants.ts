// Taking people out of the room: a participant leaves, or the owner removes them; their sockets close.
import type { RemovedParticipant } from "../../protocol/api.ts";
import { ok, type Result } from "../../protocol/errors.ts";
import { REMOVED_CLOSE_CODE, REMOVED_CLOSE_REASONS, removal } from "../../protocol/removal.ts";
import type { RoomContext } from "./room-context.ts";

/** The room's participants, as far as leaving goes; joining is by share link (`share-links.ts`). */
export class Participants {
  private readonly room: RoomContext;
  constructor(room: RoomContext) {
    this.room = room;
  }

  /**
   * Takes `targetId` out of the session at `actorId`'s asking. Prompts they queued stay queued and
   * run under their name; every socket of theirs is closed, after it was sent the event.
   */
  remove(actorId: string, targetId: string): Result<RemovedParticipant> {
    const store = this.room.store;
    const actor = store.meta() ? store.participant(actorId) : undefined;
    const target = store.participant(targetId);
    const decided = removal(actor, targetId, target);
    if (!decided.ok) return decided;
    // `removal` succeeds only for a participant actor and target.
    const removed = { person: target!.person, role: target!.role, reason: decided.value };
    store.removeParticipant(targetId, this.room.now());
    this.room.record({ type: "participant.removed", actor: actor!.person, data: removed });
    this.room.flush();
    const reason = REMOVED_CLOSE_REASONS[decided.value];
    for (const socket of this.room.deps.hub.all()) {
      if (socket.connection.userId === targetId) socket.close(REMOVED_CLOSE_CODE, reason);
    }
    this.room.broadcastPresence();
    return ok(removed);
  }
}
