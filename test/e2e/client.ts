// A Node client of the real platform: HTTP calls and a WebSocket that records what it receives.
import { inject } from "vitest";
import WebSocket from "ws";
import type { ServerMessage } from "../../protocol/room.ts";
import { waitForMessage, type MessageOf } from "../support/wait-for-message.ts";
import type { SessionEvent } from "../../protocol/events.ts";

export type Who = "alice" | "bob" | "carol";

/** Calls the API as one of the seeded people. */
export async function api<T = unknown>(
  who: Who,
  path: string,
  body?: unknown,
  method?: string,
): Promise<{ status: number; body: T }> {
  const response = await fetch(`${inject("platformUrl")}${path}`, {
    method: method ?? (body === undefined ? "GET" : "POST"),
    headers: {
      Authorization: `Bearer ${inject("tokens")[who]}`,
      "Content-Type": "application/json",
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: response.status, body: (await response.json().catch(() => null)) as T };
}

/** A live session socket. */
export class Client {
  readonly received: ServerMessage[] = [];
  readonly ws: WebSocket;
  private constructor(ws: WebSocket) {
    this.ws = ws;
    ws.on("message", (data) => this.received.push(JSON.parse(String(data)) as ServerMessage));
  }

  /** Connects as `who`; rejects with the HTTP status when the upgrade is refused. */
  static connect(
    who: Who,
    sessionId: string,
    headers: Record<string, string> = {},
  ): Promise<Client> {
    const url = `${inject("platformUrl").replace("http", "ws")}/api/sessions/${sessionId}/ws`;
    const ws = new WebSocket(url, {
      headers: { Authorization: `Bearer ${inject("tokens")[who]}`, ...headers },
    });
    const client = new Client(ws);
    return new Promise((resolve, reject) => {
      ws.once("open", () => resolve(client));
      ws.once("unexpected-response", (_req, res) =>
        reject(new Error(`upgrade refused with ${res.statusCode}`)),
      );
      ws.once("error", reject);
    });
  }

  send(message: unknown): void {
    this.ws.send(typeof message === "string" ? message : JSON.stringify(message));
  }

  /** Waits for a matching message received at or after index `from`. */
  async next<T extends ServerMessage["type"]>(
    type: T,
    match: (message: MessageOf<T>) => boolean = () => true,
    from = 0,
    timeoutMs = 10_000,
  ): Promise<MessageOf<T>> {
    return waitForMessage(
      this.received,
      type,
      match,
      from,
      timeoutMs,
      () => new Promise((resolve) => setTimeout(resolve, 20)),
    );
  }

  async subscribe(cursor: number) {
    const from = this.received.length;
    this.send({ type: "subscribe", cursor });
    return this.next("subscribed", () => true, from);
  }

  events(): SessionEvent[] {
    return this.received.flatMap((m) => (m.type === "events" ? m.events : []));
  }

  /** Closes like a network failure would: no close handshake. */
  drop(): void {
    this.ws.terminate();
  }

  close(): void {
    this.ws.close();
  }
}

/** Creates a session as alice and shares it with bob at `role`. */
export async function sharedSession(role: "collaborator" | "viewer"): Promise<string> {
  const created = await api<{ session: { id: string } }>("alice", "/api/sessions", {
    repo: "acme/widgets",
    title: "e2e",
  });
  const id = created.body.session.id;
  const link = await api<{ token: string }>("alice", `/api/sessions/${id}/share-links`, { role });
  const joined = await api("bob", `/api/sessions/${id}/join`, { token: link.body.token });
  if (joined.status !== 200) throw new Error(`join failed with ${joined.status}`);
  return id;
}
