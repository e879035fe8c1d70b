// What the session tells the stats index, and when. Reports go out in the background: a slow or
// failing index is logged and never holds up or breaks the room.
import type { NewEvent, QueuedPrompt } from "../../protocol/events.ts";
import type { StatsFact } from "../../protocol/stats.ts";
import type { Database } from "../../worker/db/database.ts";
import { recordFact } from "../../worker/stats/facts.ts";
import type { RoomServices, SessionReporter } from "./room-context.ts";
import type { SessionStore } from "./store.ts";

/** What reporting needs of the room (the room's context satisfies it). */
export interface ReportingRoom {
  readonly deps: Pick<RoomServices, "stats" | "background" | "log">;
  readonly store: Pick<SessionStore, "meta">;
  now(): number;
}

/** A SessionReporter that writes into the D1 stats index. */
export function d1SessionReporter(db: Database): SessionReporter {
  return { report: (fact) => recordFact(db, fact) };
}

/** Sends one fact in the background; a failure is logged. */
export function report(room: ReportingRoom, fact: StatsFact): void {
  const { stats, background, log } = room.deps;
  if (!stats) return;
  background(
    stats
      .report(fact)
      .catch((error: unknown) =>
        log("stats.report.failed", { fact: fact.type, error: String(error) }),
      ),
  );
}

/** Reports a prompt that was just queued. */
export function reportPrompt(room: ReportingRoom, prompt: QueuedPrompt): void {
  const meta = room.store.meta();
  if (!meta) return;
  report(room, {
    type: "prompt.submitted",
    sessionId: meta.id,
    messageId: prompt.messageId,
    repo: meta.repo,
    authorId: prompt.author.userId,
    at: prompt.createdAt,
  });
}

/**
 * Watches one turn: reports the time from the turn starting to run to its first model output
 * (the first streamed text, or the end of the first model call when it streamed none), once,
 * and the turn's usage after every model call. A resumed turn reports no first response: its
 * wait would measure the restart, not the model.
 */
export class TurnReport {
  private readonly room: ReportingRoom;
  private readonly messageId: string;
  private readonly startedAt: number;
  private firstSeen: boolean;

  constructor(room: ReportingRoom, messageId: string, resumed: boolean) {
    this.room = room;
    this.messageId = messageId;
    this.startedAt = room.now();
    this.firstSeen = resumed;
  }

  /** The model streamed output for this turn. */
  output(): void {
    if (this.firstSeen) return;
    this.firstSeen = true;
    const meta = this.room.store.meta();
    if (!meta) return;
    const at = this.room.now();
    report(this.room, {
      type: "turn.first_response",
      sessionId: meta.id,
      messageId: this.messageId,
      latencyMs: Math.max(0, at - this.startedAt),
      at,
    });
  }

  /** An event the turn recorded; a model call's usage is reported with the turn's total so far. */
  event(event: NewEvent): void {
    if (event.type !== "agent.usage") return;
    this.output();
    const meta = this.room.store.meta();
    if (!meta) return;
    const { inputTokens, outputTokens, cacheReadTokens, cacheWriteTokens, costUsd } =
      event.data.turn;
    report(this.room, {
      type: "turn.usage",
      sessionId: meta.id,
      messageId: this.messageId,
      inputTokens,
      outputTokens,
      cacheReadTokens,
      cacheWriteTokens,
      costUsd,
      at: this.room.now(),
    });
  }
}
