// The queue consumed through the runner port: FIFO order, stop, failures, restart — on the real storage.
import { env } from "cloudflare:workers";
import { runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { Person, QueuedPrompt } from "../../protocol/events.ts";
import type { ServerMessage } from "../../protocol/room.ts";
import { OUTBOX_WINDOW_MS } from "../../durable-objects/session/outbox.ts";

import type {
  PromptRunner,
  TurnContext,
  TurnOutcome,
} from "../../durable-objects/session/runner.ts";
import type { SocketHub } from "../../durable-objects/session/socket-hub.ts";
import { testRoom } from "./test-room.ts";

const alice: Person = { userId: "usr_alice", login: "alice", name: "Alice", avatarUrl: null };

/** A runner whose turns the test ends by hand. */
class ControlledRunner implements PromptRunner {
  readonly started: QueuedPrompt[] = [];
  readonly resumed: boolean[] = [];
  private endings = new Map<string, (outcome: TurnOutcome) => void>();

  run(prompt: QueuedPrompt, context: TurnContext): Promise<TurnOutcome> {
    this.started.push(prompt);
    this.resumed.push(context.resumed);
    context.emit({
      type: "prompt.started",
      actor: null,
      data: { messageId: `echo:${prompt.messageId}` },
    });
    return new Promise((resolve) => {
      this.endings.set(prompt.messageId, resolve);
      context.signal.addEventListener("abort", () => resolve({ state: "stopped" }));
    });
  }

  end(messageId: string, outcome: TurnOutcome): void {
    this.endings.get(messageId)?.(outcome);
  }
}

const noSockets: SocketHub = { all: () => [] };
const settle = () => new Promise((resolve) => setTimeout(resolve, 10));

function roomWith(
  state: DurableObjectState,
  runner: PromptRunner | null,
  hub: SocketHub = noSockets,
) {
  return testRoom(state, { runner, hub });
}

async function inFreshSession<T>(fn: (state: DurableObjectState) => Promise<T>): Promise<T> {
  const stub = env.SESSION.get(env.SESSION.newUniqueId());
  return runInDurableObject(stub, async (_instance, state) => {
    const { room } = roomWith(state, null);
    expect(room.init({ id: "ses_runner", repo: "acme/widgets", title: "t", owner: alice }).ok).toBe(
      true,
    );
    return fn(state);
  });
}

describe("the prompt runner port", () => {
  it("leaves prompts queued while no runner exists", async () => {
    await inFreshSession(async (state) => {
      const { room, store } = roomWith(state, null);
      room.prompts.submit(alice, { clientId: "1", text: "one" });
      expect(store.queue().running).toBeNull();
      expect(store.queue().queued.map((p) => p.text)).toEqual(["one"]);
    });
  });

  it("runs prompts one at a time in the order they were queued", async () => {
    await inFreshSession(async (state) => {
      const runner = new ControlledRunner();
      const { room, store } = roomWith(state, runner);
      const ids = ["one", "two", "three"].map((text) => {
        const accepted = room.prompts.submit(alice, { clientId: text, text });
        return accepted.ok ? accepted.value.messageId : "";
      });
      expect(runner.started.map((p) => p.text)).toEqual(["one"]);
      runner.end(ids[0]!, { state: "done" });
      await settle();
      expect(runner.started.map((p) => p.text)).toEqual(["one", "two"]);
      runner.end(ids[1]!, { state: "failed", reason: "the model gave up" });
      await settle();
      runner.end(ids[2]!, { state: "done" });
      await settle();
      expect(store.queue()).toEqual({ running: null, queued: [] });
      const finished = store.eventsAfter(0, 100).filter((e) => e.type === "prompt.finished");
      expect(
        finished.map((e) => e.type === "prompt.finished" && [e.data.state, e.data.reason]),
      ).toEqual([
        ["done", null],
        ["failed", "the model gave up"],
        ["done", null],
      ]);
    });
  });

  it("stops the running turn and starts the next queued prompt", async () => {
    await inFreshSession(async (state) => {
      const runner = new ControlledRunner();
      const sent: ServerMessage[] = [];
      const hub: SocketHub = {
        all: () => [
          {
            connection: {
              connectionId: "con_1",
              userId: alice.userId,
              subscribed: true,
              typingUntil: 0,
            },
            send: (m) =>
              void sent.push(typeof m === "string" ? (JSON.parse(m) as ServerMessage) : m),
            update: () => hub.all()[0]!,
            close: () => {},
          },
        ],
      };
      const { room, store } = roomWith(state, runner, hub);
      room.prompts.submit(alice, { clientId: "a", text: "long task" });
      room.prompts.submit(alice, { clientId: "b", text: "next task" });
      const stopped = room.prompts.stop(alice.userId);
      expect(stopped.ok).toBe(true);
      await settle();
      expect(runner.started.map((p) => p.text)).toEqual(["long task", "next task"]);
      expect(store.queue().running?.text).toBe("next task");
      // What the room sends to all sockets leaves within one outbox window.
      await new Promise((resolve) => setTimeout(resolve, OUTBOX_WINDOW_MS + 5));
      const types = sent.flatMap((m) => (m.type === "events" ? m.events.map((e) => e.type) : []));
      expect(types).toContain("session.stop_requested");
      expect(sent.filter((m) => m.type === "queue").at(-1)).toMatchObject({
        queue: { running: { text: "next task" } },
      });
    });
  });

  it("resumes a turn that a restart interrupted, then moves on", async () => {
    await inFreshSession(async (state) => {
      const first = new ControlledRunner();
      const before = roomWith(state, first);
      const ids = ["interrupted", "waiting"].map(
        (text) =>
          (
            before.room.prompts.submit(alice, { clientId: text, text }) as {
              value: { messageId: string };
            }
          ).value.messageId,
      );
      expect(first.resumed).toEqual([false]);
      // A new room over the same storage is what the object builds after an eviction.
      const second = new ControlledRunner();
      const after = roomWith(state, second);
      after.room.prompts.resume();
      expect(second.started.map((p) => p.text)).toEqual(["interrupted"]);
      expect(second.resumed).toEqual([true]);
      second.end(ids[0]!, { state: "done" });
      await settle();
      expect(second.started.map((p) => p.text)).toEqual(["interrupted", "waiting"]);
      expect(second.resumed).toEqual([true, false]);
      const finished = after.store.eventsAfter(0, 100).find((e) => e.type === "prompt.finished");
      expect(finished?.type === "prompt.finished" && finished.data).toMatchObject({
        state: "done",
      });
    });
  });

  it("wakes on the watchdog alarm and resumes a turn nobody runs", async () => {
    await inFreshSession(async (state) => {
      const before = roomWith(state, new ControlledRunner());
      before.room.prompts.submit(alice, { clientId: "a", text: "long" });
      const store = before.store;
      expect(store.earliestDeadline()).not.toBeNull();
      const second = new ControlledRunner();
      const after = roomWith(state, second);
      // The alarm fires after the watchdog time on an object that lost its turn.
      store.setDeadline("agent.turn", Date.now() - 1);
      after.room.alarm();
      expect(second.started.map((p) => p.text)).toEqual(["long"]);
      expect(second.resumed).toEqual([true]);
    });
  });

  it("treats a runner that throws as a failed turn", async () => {
    await inFreshSession(async (state) => {
      const { room, store } = roomWith(state, {
        run: async () => Promise.reject(new Error("boom")),
      });
      room.prompts.submit(alice, { clientId: "a", text: "explode" });
      await settle();
      expect(store.queue().running).toBeNull();
      const finished = store.eventsAfter(0, 100).find((e) => e.type === "prompt.finished");
      expect(finished?.type === "prompt.finished" && finished.data.reason).toContain("boom");
    });
  });
});
