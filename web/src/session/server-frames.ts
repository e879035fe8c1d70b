// Turns raw socket frames from the room into typed server messages, tolerating unknown events.
import { SessionEventSchema, type SessionEvent } from "../../../protocol/events.ts";
import { ServerMessageSchema, type ServerMessage } from "../../../protocol/room.ts";

/** The message in a frame, or null when the frame is not one this client understands. */
export function decodeServerFrame(data: unknown): ServerMessage | null {
  if (typeof data !== "string") return null;
  let json: unknown;
  try {
    json = JSON.parse(data);
  } catch {
    return null;
  }
  // An event type this build does not know must not take the rest of a replay page down with it.
  if (isEventsFrame(json)) {
    const events = json.events.flatMap((raw): SessionEvent[] => {
      const parsed = SessionEventSchema.safeParse(raw);
      return parsed.success ? [parsed.data] : [];
    });
    return { type: "events", replay: json.replay === true, events };
  }
  const parsed = ServerMessageSchema.safeParse(json);
  return parsed.success ? parsed.data : null;
}

function isEventsFrame(
  json: unknown,
): json is { type: "events"; replay?: unknown; events: unknown[] } {
  if (typeof json !== "object" || json === null) return false;
  const frame = json as { type?: unknown; events?: unknown };
  return frame.type === "events" && Array.isArray(frame.events);
}
