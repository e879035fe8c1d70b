// A benchmark's session socket: connects with an API token, stamps every server message with its arrival time.
import { performance } from "node:perf_hooks";
import WebSocket from "ws";
import type { ClientMessage, ServerMessage } from "../protocol/room.ts";

/** The greeting the room sends first on every socket. */
export type Hello = Extract<ServerMessage, { type: "hello" }>;

/** Sees each server message with its arrival time from `performance.now()`. */
export type MessageListener = (message: ServerMessage, arrivedAtMs: number) => void;

/** A socket the server closed while a benchmark still needed it. */
export class SocketClosedError extends Error {
  override readonly name = "SocketClosedError";
  /** The WebSocket close code (1006 when the connection just dropped). */
  readonly code: number;
  constructor(code: number, reason: string) {
    super(`the session socket closed unexpectedly (${code}${reason ? ` ${reason}` : ""})`);
    this.code = code;
  }
}

/** How long `close()` waits for the closing handshake before dropping the connection. */
const CLOSE_GRACE_MS = 1_000;

/** One open socket to a session room. */
export class SessionSocket {
  /** The room's `hello`, received before `openSessionSocket` resolves. */
  readonly hello: Hello;
  private readonly ws: WebSocket;
  private readonly listeners: Set<MessageListener>;
  private readonly closeListeners = new Set<(error: SocketClosedError) => void>();
  private closing = false;

  constructor(ws: WebSocket, hello: Hello, listeners: Set<MessageListener>) {
    this.ws = ws;
    this.hello = hello;
    this.listeners = listeners;
    ws.on("close", (code, reason) => {
      if (this.closing) return;
      const error = new SocketClosedError(code, reason.toString());
      for (const listener of this.closeListeners) listener(error);
    });
  }

  /** Adds a listener for the server closing the socket (not for `close()`); the returned function removes it. */
  onClose(listener: (error: SocketClosedError) => void): () => void {
    this.closeListeners.add(listener);
    return () => this.closeListeners.delete(listener);
  }

  /** Adds a listener; the returned function removes it. */
  onMessage(listener: MessageListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Sends one client message. */
  send(message: ClientMessage): void {
    this.ws.send(JSON.stringify(message));
  }

  /** The next message of `type` that satisfies `match`; rejects on a room `error`, a close, or after `timeoutMs`. */
  next<T extends ServerMessage["type"]>(
    type: T,
    match: (message: Extract<ServerMessage, { type: T }>) => boolean = () => true,
    timeoutMs = 10_000,
  ): Promise<Extract<ServerMessage, { type: T }>> {
    return new Promise((resolve, reject) => {
      const settle = (error: Error | null, message?: Extract<ServerMessage, { type: T }>) => {
        clearTimeout(timer);
        removeMessage();
        removeClose();
        if (error) reject(error);
        else resolve(message!);
      };
      const timer = setTimeout(
        () => settle(new Error(`no "${type}" message within ${timeoutMs} ms`)),
        timeoutMs,
      );
      const removeClose = this.onClose(settle);
      const removeMessage = this.onMessage((message) => {
        if (message.type === "error") {
          settle(new Error(`room error ${message.code}: ${message.message}`));
        } else if (message.type === type && match(message as Extract<ServerMessage, { type: T }>)) {
          settle(null, message as Extract<ServerMessage, { type: T }>);
        }
      });
    });
  }

  /** Closes the socket, dropping it if the peer does not answer the close promptly. */
  close(): Promise<void> {
    this.closing = true;
    if (this.ws.readyState === WebSocket.CLOSED) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.ws.terminate();
        resolve();
      }, CLOSE_GRACE_MS);
      this.ws.once("close", () => {
        clearTimeout(timer);
        resolve();
      });
      this.ws.close(1000, "bench done");
    });
  }
}

/** Opens a socket to a session and resolves once the room's `hello` arrives. */
export function openSessionSocket(
  baseUrl: string,
  sessionId: string,
  token: string,
  timeoutMs = 10_000,
): Promise<SessionSocket> {
  const url = `${baseUrl.replace(/^http/, "ws")}/api/sessions/${sessionId}/ws`;
  const ws = new WebSocket(url, {
    headers: { Authorization: `Bearer ${token}` },
    perMessageDeflate: false,
  });
  const listeners = new Set<MessageListener>();
  ws.on("message", (data) => {
    const arrivedAtMs = performance.now();
    // Trusted local server: the frames are cast, not validated, so the clock measures the room rather than zod.
    const message = JSON.parse(data.toString()) as ServerMessage;
    for (const listener of listeners) listener(message, arrivedAtMs);
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      ws.terminate();
      reject(new Error(`no hello from ${url} within ${timeoutMs} ms`));
    }, timeoutMs);
    const fail = (error: Error) => {
      clearTimeout(timer);
      listeners.clear();
      reject(error);
    };
    ws.once("error", fail);
    ws.once("unexpected-response", (_request, response) => {
      ws.terminate();
      fail(new Error(`socket upgrade refused with HTTP ${response.statusCode}`));
    });
    ws.once("close", (code, reason) =>
      fail(new SocketClosedError(code, `before hello ${reason.toString()}`.trim())),
    );
    const greet: MessageListener = (message) => {
      if (message.type !== "hello") return;
      clearTimeout(timer);
      listeners.delete(greet);
      ws.removeAllListeners("error")
        .removeAllListeners("close")
        .removeAllListeners("unexpected-response");
      ws.on("error", () => {
        // A socket error after hello surfaces as a missed message and a timeout in the benchmark.
      });
      resolve(new SessionSocket(ws, message, listeners));
    };
    listeners.add(greet);
  });
}

/** A full replay from cursor 0 on an open socket: when `subscribe` went and `subscribed` came. */
export async function replayFromStart(
  socket: SessionSocket,
  timeoutMs: number,
): Promise<{ sentAtMs: number; subscribedAtMs: number; lastSeq: number }> {
  let received = 0;
  let lastReceivedSeq = 0;
  let subscribedAtMs = 0;
  socket.onMessage((message, atMs) => {
    if (message.type === "events" && message.replay) {
      received += message.events.length;
      lastReceivedSeq = message.events.at(-1)?.seq ?? lastReceivedSeq;
    } else if (message.type === "subscribed") {
      subscribedAtMs = atMs;
    }
  });
  const subscribed = socket.next("subscribed", () => true, timeoutMs);
  const sentAtMs = performance.now();
  socket.send({ type: "subscribe", cursor: 0 });
  const { lastSeq } = await subscribed;
  if (received !== lastSeq || lastReceivedSeq !== lastSeq) {
    throw new Error(
      `replay delivered ${received} events up to seq ${lastReceivedSeq} of ${lastSeq}`,
    );
  }
  return { sentAtMs, subscribedAtMs, lastSeq };
}
