// The global index busy: D1 failing transiently under a request. Short bursts are retried and the
// request succeeds; a longer outage answers 503 with a sentence, and nothing is half done — the
// same prompt sent again once the database answers is queued exactly once.
import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { QueueState } from "../../protocol/room.ts";
import { createApp } from "../../worker/app.ts";
import { createSession, holdingTurn, ORIGIN, signUp, type TestPerson } from "./helpers.ts";

/** The real D1, failing its next `failures` calls the way D1 does when a connection drops. */
function busy(failures: { left: number }): D1Database {
  const fail = <T>(call: () => Promise<T>): Promise<T> => {
    if (failures.left > 0) {
      failures.left--;
      return Promise.reject(new Error("D1_ERROR: Network connection lost."));
    }
    return call();
  };
  const statement = (inner: D1PreparedStatement): D1PreparedStatement =>
    new Proxy(inner, {
      get(target, key) {
        if (key === "__inner") return target;
        if (key === "bind") return (...values: unknown[]) => statement(target.bind(...values));
        if (key === "all" || key === "run" || key === "first" || key === "raw") {
          return (...args: unknown[]) =>
            fail(() => (target[key] as (...a: unknown[]) => Promise<unknown>).apply(target, args));
        }
        return Reflect.get(target, key);
      },
    });
  const db = env.DB;
  return {
    prepare: (query: string) => statement(db.prepare(query)),
    batch: (statements: D1PreparedStatement[]) =>
      fail(() =>
        db.batch(statements.map((s) => (s as unknown as { __inner: D1PreparedStatement }).__inner)),
      ),
    exec: (query: string) => fail(() => db.exec(query)),
    dump: () => db.dump(),
    withSession: (constraint?: string) => db.withSession(constraint),
  } as unknown as D1Database;
}

const app = createApp();

/** Calls the Worker as `person` with its D1 failing as `failures` says. */
async function call(person: TestPerson, failures: { left: number }, path: string, body?: unknown) {
  const ctx = createExecutionContext();
  const response = await app.fetch(
    new Request(`${ORIGIN}${path}`, {
      method: body === undefined ? "GET" : "POST",
      headers: { Authorization: `Bearer ${person.token}`, "Content-Type": "application/json" },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    }),
    { ...env, DB: busy(failures) },
    ctx,
  );
  await waitOnExecutionContext(ctx);
  return response;
}

async function queueOf(person: TestPerson, sessionId: string): Promise<QueueState> {
  const response = await person.api(`/api/sessions/${sessionId}`);
  return ((await response.json()) as { session: { queue: QueueState } }).session.queue;
}

describe("the database busy", () => {
  it("retries a short burst of failures and takes the prompt", async () => {
    const owner = await signUp();
    const sessionId = await createSession(owner, {
      prompt: { clientId: "hold", text: await holdingTurn() },
    });
    const failures = { left: 2 };
    const response = await call(owner, failures, `/api/sessions/${sessionId}/prompts`, {
      clientId: "during-burst",
      text: "queued through a flaky database",
    });
    expect(response.status).toBe(201);
    expect(failures.left).toBe(0);
    const queue = await queueOf(owner, sessionId);
    expect(queue.queued.map((p) => p.clientId)).toEqual(["during-burst"]);
    await owner.api(`/api/sessions/${sessionId}/stop`, { method: "POST" });
  });

  it("answers 503 while the outage lasts, then queues the same prompt once", async () => {
    const owner = await signUp();
    const sessionId = await createSession(owner, {
      prompt: { clientId: "hold", text: await holdingTurn() },
    });
    const down = await call(owner, { left: 1_000 }, `/api/sessions/${sessionId}/prompts`, {
      clientId: "after-outage",
      text: "sent during an outage",
    });
    expect(down.status).toBe(503);
    expect(await down.json()).toEqual({
      error: {
        code: "unavailable",
        message:
          "The database is busy right now and did not answer after several tries; try again in a moment.",
      },
    });
    for (let i = 0; i < 2; i++) {
      const again = await call(owner, { left: 0 }, `/api/sessions/${sessionId}/prompts`, {
        clientId: "after-outage",
        text: "sent during an outage",
      });
      expect(again.status).toBe(i === 0 ? 201 : 200);
    }
    const queue = await queueOf(owner, sessionId);
    expect(queue.queued.filter((p) => p.clientId === "after-outage")).toHaveLength(1);
    await owner.api(`/api/sessions/${sessionId}/stop`, { method: "POST" });
  });
});
