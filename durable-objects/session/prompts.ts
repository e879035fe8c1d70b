// The prompt queue in action: submit, cancel, stop, and handing prompts to the runner in order.
import { fail, ok, type Result } from "../../protocol/errors.ts";
import type { Person, QueuedPrompt } from "../../protocol/events.ts";
import type { Action } from "../../protocol/roles.ts";
import type { SessionStatus } from "../../protocol/api.ts";
import { hasRoom, MAX_QUEUED_PROMPTS, nextToStart, statusOf } from "./prompt-queue.ts";
import type { RoomContext } from "./room-context.ts";
import type { PromptRunner, TurnOutcome } from "./runner.ts";
import { reportPrompt } from "./stats-report.ts";

/** The deadline that wakes the object while a turn runs: it resumes a turn an eviction cut off. */
export const TURN_WATCHDOG_DEADLINE = "agent.turn";
/** How long a running turn may go without the object being awake before the alarm checks it. */
const TURN_WATCHDOG_MS = 30_000;

/** How often prompt activity alone refreshes the session's place in the list. */
const INDEX_ACTIVITY_INTERVAL_MS = 60_000;

/** Answer to an accepted prompt. */
export interface PromptAccepted {
  messageId: string;
  duplicate: boolean;
}

/** The in-memory handle of the turn that is running now; hibernation cannot happen while one runs. */
interface ActiveTurn {
  messageId: string;
  controller: AbortController;
}

/** What else happens when prompts come and turns end (the sandbox gets ready, snapshots). */
export interface PromptHooks {
  promptQueued(): void;
  turnEnded(): void;
  /** After any change of the queue (a prompt queued, started, finished or cancelled). */
  queueChanged?(): void;
}

/** The room's prompt queue and its consumer. */
export class Prompts {
  private turn: ActiveTurn | null = null;
  /** What the D1 index was last told; empty after a restart, so the first change is written. */
  private indexed: { status: SessionStatus | null; at: number } = { status: null, at: 0 };

  private readonly room: RoomContext;
  private readonly hooks: PromptHooks;
  private readonly runner: PromptRunner | null;
  constructor(room: RoomContext, hooks: PromptHooks, runner: PromptRunner | null) {
    this.room = room;
    this.hooks = hooks;
    this.runner = runner;
  }

  /** Queues a prompt, once per (author, client id). */
  submit(author: Person, input: { clientId: string; text: string }): Result<PromptAccepted> {
    const allowed = this.room.authorize(author.userId, "prompt");
    if (!allowed.ok) return allowed;
    const store = this.room.store;
    const existing = store.messageByClientId(author.userId, input.clientId);
    if (existing) return ok({ messageId: existing.messageId, duplicate: true });
    if (!hasRoom(store.queue())) {
      return fail(
        "queue_full",
        `The queue already holds ${MAX_QUEUED_PROMPTS} prompts; wait for some to run.`,
      );
    }
    const prompt = store.insertMessage({
      id: this.room.id("msg"),
      clientId: input.clientId,
      authorId: author.userId,
      text: input.text,
      createdAt: this.room.now(),
    });
    this.room.record({ type: "prompt.queued", actor: author, data: { prompt } });
    reportPrompt(this.room, prompt);
    this.changed();
    this.hooks.promptQueued();
    return ok({ messageId: prompt.messageId, duplicate: false });
  }

  /** Removes a prompt that has not started yet. */
  cancel(userId: string, messageId: string): Result<{ messageId: string }> {
    const allowed = this.room.authorize(userId, "read");
    if (!allowed.ok) return allowed;
    const prompt = this.room.store.message(messageId);
    if (!prompt) return fail("not_found", "No prompt with that id in this session.");
    const action: Action =
      prompt.author.userId === userId ? "cancel_own_prompt" : "cancel_any_prompt";
    const may = this.room.authorize(userId, action);
    if (!may.ok)
      return fail("forbidden", "Only the session owner can cancel someone else's prompt.");
    if (prompt.state !== "queued") {
      return fail(
        "conflict",
        `That prompt is ${prompt.state}; only queued prompts can be cancelled (use stop for the running one).`,
      );
    }
    this.room.store.setMessageState(messageId, "cancelled", this.room.now());
    this.room.record({
      type: "prompt.cancelled",
      actor: allowed.value.person,
      data: { messageId },
    });
    this.changed();
    return ok({ messageId });
  }

  /** Stops the running turn; the next queued prompt then starts. */
  stop(userId: string): Result<{ messageId: string }> {
    const allowed = this.room.authorize(userId, "stop");
    if (!allowed.ok) return allowed;
    const running = this.room.store.queue().running;
    if (!running) return fail("nothing_running", "Nothing is running in this session.");
    this.room.record({
      type: "session.stop_requested",
      actor: allowed.value.person,
      data: { messageId: running.messageId },
    });
    if (this.turn?.messageId === running.messageId) {
      this.turn.controller.abort();
    } else {
      // No live runner holds this turn (the object restarted): end it here.
      this.finish(running.messageId, { state: "stopped" });
    }
    return ok({ messageId: running.messageId });
  }

  /** Starts queued work after the object (re)starts; a turn cut off by the restart resumes from its checkpoint. */
  resume(): void {
    const running = this.room.store.queue().running;
    if (running && !this.turn && this.runner) {
      this.room.deps.log("agent.turn.resumed", { messageId: running.messageId });
      this.start(running, true);
      return;
    }
    this.pump();
  }

  /** The watchdog deadline came round: resume a turn nobody runs, or keep watching one that runs. */
  watchdog(): void {
    const running = this.room.store.queue().running;
    if (!running) return;
    if (this.turn) this.armWatchdog();
    else this.resume();
  }

  private armWatchdog(): void {
    const store = this.room.store;
    store.setDeadline(TURN_WATCHDOG_DEADLINE, this.room.now() + TURN_WATCHDOG_MS);
    this.room.deps.setAlarm(store.earliestDeadline());
  }

  /** Starts the next prompt if it can, broadcasts the queue, and mirrors status and activity to the index. */
  private changed(): void {
    this.pump();
    const queue = this.room.store.queue();
    this.room.broadcast({ type: "queue", queue });
    this.hooks.queueChanged?.();
    const meta = this.room.store.meta();
    const status = statusOf(queue);
    const now = this.room.now();
    // The list sorts by recent activity; a write per status change, or per minute of activity, keeps it fresh.
    if (
      !meta ||
      (status === this.indexed.status && now - this.indexed.at < INDEX_ACTIVITY_INTERVAL_MS)
    )
      return;
    this.indexed = { status, at: now };
    this.room.deps.index.setStatus(meta.id, status, now).catch((error: unknown) => {
      this.room.deps.log("session.index.failed", { error: String(error) });
    });
  }

  private pump(): void {
    const next = nextToStart(this.room.store.queue(), this.runner !== null);
    if (!this.runner || !next) return;
    this.room.store.setMessageState(next.messageId, "running", this.room.now());
    this.room.record({ type: "prompt.started", actor: null, data: { messageId: next.messageId } });
    this.start({ ...next, state: "running" }, false);
  }

  /** Hands a running prompt to the runner; `resumed` when the object restarted mid-turn. */
  private start(prompt: QueuedPrompt, resumed: boolean): void {
    const runner = this.runner!;
    const controller = new AbortController();
    this.turn = { messageId: prompt.messageId, controller };
    this.armWatchdog();
    runner
      .run(prompt, {
        signal: controller.signal,
        resumed,
        emit: (event) => void this.room.record(event),
      })
      .catch((error: unknown): TurnOutcome => ({ state: "failed", reason: String(error) }))
      .then((outcome) =>
        this.finish(prompt.messageId, controller.signal.aborted ? { state: "stopped" } : outcome),
      );
  }

  private finish(messageId: string, outcome: TurnOutcome): void {
    if (this.turn?.messageId === messageId) this.turn = null;
    if (!this.turn) this.room.store.clearDeadline(TURN_WATCHDOG_DEADLINE);
    const current = this.room.store.message(messageId);
    if (!current || current.state !== "running") return;
    this.room.store.setMessageState(messageId, outcome.state, this.room.now());
    this.room.record({
      type: "prompt.finished",
      actor: null,
      data: {
        messageId,
        state: outcome.state,
        reason: outcome.state === "failed" ? outcome.reason : null,
      },
    });
    this.hooks.turnEnded();
    this.changed();
  }
}
