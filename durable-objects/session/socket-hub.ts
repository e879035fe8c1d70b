// The room's view of its open WebSockets, whose state lives in hibernation-safe attachments.
import type { ServerMessage } from "../../protocol/room.ts";
import type { Connection } from "./presence.ts";

/** One open socket and the connection it carries. */
export interface RoomSocket {
  readonly connection: Connection;
  /** Sends a message; a socket that already went away is ignored. */
  send(message: ServerMessage | string): void;
  /** Replaces the connection state stored on the socket. */
  update(connection: Connection): RoomSocket;
  close(code: number, reason: string): void;
}

/** All open sockets of the room. */
export interface SocketHub {
  all(): RoomSocket[];
}

/** Each socket's connection as last read or written. Deserializing an attachment costs more than
 * sending a frame, and a busy room reads every socket's for each frame it sends. The attachment
 * stays the truth (it survives hibernation, which makes new socket objects and so misses here);
 * every write goes through `update`, which writes both. */
const cache = new WeakMap<WebSocket, Connection>();

/** Wraps a platform WebSocket whose attachment is a Connection. */
export function roomSocket(ws: WebSocket): RoomSocket {
  let connection = cache.get(ws);
  if (!connection) {
    // Null only in the instant between accept and the first serializeAttachment; all() skips those.
    connection = ws.deserializeAttachment() as Connection;
    if (connection) cache.set(ws, connection);
  }
  return {
    connection,
    send(message) {
      try {
        ws.send(typeof message === "string" ? message : JSON.stringify(message));
      } catch {
        // The peer is gone; its close event cleans up.
      }
    },
    update(next) {
      ws.serializeAttachment(next);
      cache.set(ws, next);
      return roomSocket(ws);
    },
    close(code, reason) {
      try {
        ws.close(code, reason);
      } catch {
        // Already closed.
      }
    },
  };
}

/** The hub over a Durable Object's accepted WebSockets. */
export function durableObjectHub(ctx: DurableObjectState): SocketHub {
  return {
    all: () => {
      const sockets: RoomSocket[] = [];
      for (const ws of ctx.getWebSockets()) {
        if (ws.readyState !== WebSocket.OPEN) continue;
        const socket = roomSocket(ws);
        if (socket.connection) sockets.push(socket);
      }
      return sockets;
    },
  };
}
