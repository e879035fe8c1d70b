// Waiting for a socket message in tests, shared by the workerd and the Node clients.
import type { ServerMessage } from "../../protocol/room.ts";

/** A server message of one type. */
export type MessageOf<T extends ServerMessage["type"]> = Extract<ServerMessage, { type: T }>;

/**
 * The first message of `type` at or after index `from` that matches; `pause` waits for more to
 * arrive. Fails naming what did arrive when nothing matches within `timeoutMs`.
 */
export async function waitForMessage<T extends ServerMessage["type"]>(
  received: readonly ServerMessage[],
  type: T,
  match: (message: MessageOf<T>) => boolean,
  from: number,
  timeoutMs: number,
  pause: () => Promise<void>,
): Promise<MessageOf<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = received
      .slice(from)
      .find((m): m is MessageOf<T> => m.type === type && match(m as MessageOf<T>));
    if (found) return found;
    if (Date.now() > deadline) {
      throw new Error(
        `no ${type} message within ${timeoutMs} ms; got ${received.map((m) => m.type).join(",")}`,
      );
    }
    await pause();
  }
}
