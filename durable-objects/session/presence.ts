// Who is here and who is typing, derived from the attachments of open sockets.
import type { Participant } from "../../protocol/api.ts";
import type { PresenceEntry } from "../../protocol/room.ts";

/** What each socket carries across hibernation. */
export interface Connection {
  connectionId: string;
  userId: string;
  subscribed: boolean;
  typingUntil: number;
}

/** One entry per connected participant, typing if any of their sockets is typing. */
export function presenceOf(
  connections: readonly Connection[],
  participantOf: (userId: string) => Participant | undefined,
  now: number,
): PresenceEntry[] {
  const byUser = new Map<string, PresenceEntry>();
  for (const connection of connections) {
    const participant = participantOf(connection.userId);
    if (!participant) continue;
    const typing = connection.typingUntil > now;
    const entry = byUser.get(connection.userId);
    if (entry) {
      entry.connections += 1;
      entry.typing ||= typing;
    } else {
      byUser.set(connection.userId, {
        person: participant.person,
        role: participant.role,
        connections: 1,
        typing,
      });
    }
  }
  return [...byUser.values()].sort((a, b) => a.person.login.localeCompare(b.person.login));
}

/** The earliest moment a typing signal runs out, or null when nobody is typing. */
export function nextTypingExpiry(connections: readonly Connection[], now: number): number | null {
  const pending = connections.map((c) => c.typingUntil).filter((until) => until > now);
  return pending.length > 0 ? Math.min(...pending) : null;
}
