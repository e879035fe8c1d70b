// Helpers for integration tests inside workerd: people with tokens, API calls, and socket clients.
import { env, exports } from "cloudflare:workers";
import { expect } from "vitest";
import { createApiToken } from "../../worker/auth/api-tokens.ts";
import { openDatabase } from "../../worker/db/database.ts";
import { createUser, type User } from "../../worker/users/users.ts";
import type { ServerMessage } from "../../protocol/room.ts";
import { waitForMessage, type MessageOf } from "../support/wait-for-message.ts";
import { putModelScript } from "../support/model-script.ts";

export const ORIGIN = "http://tandem.test";
let counter = 0;

/** A signed-up person with a personal API token. */
export interface TestPerson {
  user: User;
  token: string;
  /** Calls the API as this person. */
  api(
    path: string,
    init?: { method?: string; body?: unknown; headers?: Record<string, string> },
  ): Promise<Response>;
}

/** Calls the Worker as a browser or client would. */
export function request(path: string, init: RequestInit = {}): Promise<Response> {
  return exports.default.fetch(new Request(`${ORIGIN}${path}`, init));
}

/** Creates a person with a fresh login and token. */
export async function signUp(
  login = `person-${++counter}-${Math.random().toString(36).slice(2, 8)}`,
): Promise<TestPerson> {
  const db = openDatabase(env.DB);
  const user = await createUser(db, { login, name: login.toUpperCase() }, Date.now());
  const { token } = await createApiToken(db, user.id, "test", Date.now());
  return {
    user,
    token,
    api: (path, init = {}) =>
      request(path, {
        method: init.method ?? (init.body === undefined ? "GET" : "POST"),
        headers: {
          Authorization: `Bearer ${token}`,
          ...(init.body === undefined ? {} : { "Content-Type": "application/json" }),
          ...init.headers,
        },
        ...(init.body === undefined
          ? {}
          : { body: typeof init.body === "string" ? init.body : JSON.stringify(init.body) }),
      }),
  };
}

/** Creates a session owned by `owner` and returns its id. */
export async function createSession(
  owner: TestPerson,
  body: Record<string, unknown> = {},
): Promise<string> {
  const response = await owner.api("/api/sessions", {
    body: { repo: "acme/widgets", title: "Make it faster", ...body },
  });
  if (response.status !== 201)
    throw new Error(`create failed: ${response.status} ${await response.text()}`);
  const { session } = (await response.json()) as { session: { id: string } };
  return session.id;
}

/** Shares a session with `guest` at `role` through a link. */
export async function share(
  owner: TestPerson,
  sessionId: string,
  guest: TestPerson,
  role: "collaborator" | "viewer",
) {
  const created = await owner.api(`/api/sessions/${sessionId}/share-links`, { body: { role } });
  const { token } = (await created.json()) as { token: string };
  const joined = await guest.api(`/api/sessions/${sessionId}/join`, { body: { token } });
  if (joined.status !== 200)
    throw new Error(`join failed: ${joined.status} ${await joined.text()}`);
}

/** A WebSocket client that records every message the room sends. */
export class TestSocket {
  readonly received: ServerMessage[] = [];
  private waiters: (() => void)[] = [];

  readonly ws: WebSocket;
  /** Resolves with the close code and reason once the socket closes. */
  readonly closed: Promise<{ code: number; reason: string }>;
  private constructor(ws: WebSocket) {
    this.ws = ws;
    ws.addEventListener("message", (event) => {
      this.received.push(JSON.parse(event.data as string) as ServerMessage);
      for (const wake of this.waiters.splice(0)) wake();
    });
    this.closed = new Promise((resolve) =>
      ws.addEventListener("close", (event) => {
        resolve({ code: event.code, reason: event.reason });
        for (const wake of this.waiters.splice(0)) wake();
      }),
    );
  }

  /** Opens the session socket as `person` (or fails with the HTTP response). */
  static async open(
    person: TestPerson,
    sessionId: string,
    headers: Record<string, string> = {},
  ): Promise<TestSocket> {
    const response = await request(`/api/sessions/${sessionId}/ws`, {
      headers: { Upgrade: "websocket", Authorization: `Bearer ${person.token}`, ...headers },
    });
    if (!response.webSocket)
      throw new Error(`upgrade refused: ${response.status} ${await response.text()}`);
    response.webSocket.accept();
    return new TestSocket(response.webSocket);
  }

  send(message: unknown): void {
    this.ws.send(typeof message === "string" ? message : JSON.stringify(message));
  }

  /** Waits for the first message (from `from` on) that matches. */
  async next<T extends ServerMessage["type"]>(
    type: T,
    match: (message: MessageOf<T>) => boolean = () => true,
    from = 0,
  ): Promise<MessageOf<T>> {
    return waitForMessage(
      this.received,
      type,
      match,
      from,
      5_000,
      () =>
        new Promise<void>((resolve) => {
          this.waiters.push(resolve);
          setTimeout(resolve, 100);
        }),
    );
  }

  /** Every timeline event received so far, in order. */
  events() {
    return this.received.flatMap((m) => (m.type === "events" ? m.events : []));
  }

  /** Subscribes from `cursor` and waits until the replay is complete. */
  async subscribe(cursor = 0) {
    const from = this.received.length;
    this.send({ type: "subscribe", cursor });
    return this.next("subscribed", () => true, from);
  }

  close(): void {
    this.ws.close(1000, "done");
  }
}

/** A marker for prompts whose turn runs until it is stopped, so prompts behind it stay queued. */
export async function holdingTurn(): Promise<string> {
  const response = await putModelScript(env.ANTHROPIC_BASE_URL, "hold", {
    responses: [
      { content: [{ type: "text", text: "never" }], faults: [{ kind: "hang", times: 1_000_000 }] },
    ],
  });
  if (!response.ok) throw new Error(`the model stand-in refused the script: ${response.status}`);
  return "[script:hold]";
}

/** Registers a repository with a local clone URL and waits until an image of `commit` is current. */
export async function registerWithImage(
  person: TestPerson,
  repo: string,
  cloneUrl: string,
  commit: string,
): Promise<string> {
  await person.api("/api/repositories", { body: { repo, cloneUrl, warmPoolSize: 0 } });
  const { imageId } = (await (
    await person.api(`/api/repositories/${repo}/images`, { body: { commit } })
  ).json()) as { imageId: string };
  await expect
    .poll(
      async () =>
        (
          (await (await person.api(`/api/repositories/${repo}`)).json()) as {
            pool: { currentImageId: string | null };
          }
        ).pool.currentImageId,
      { timeout: 20_000 },
    )
    .toBe(imageId);
  return imageId;
}
