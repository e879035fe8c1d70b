// Decisions about the prompt queue, as pure functions of its state.
import type { SessionStatus } from "../../protocol/api.ts";
import type { QueuedPrompt } from "../../protocol/events.ts";
import type { QueueState } from "../../protocol/room.ts";

/** How many prompts may wait behind the running one. */
export const MAX_QUEUED_PROMPTS = 100;

/** The prompt to start now, or null when one runs, none waits, or nothing can run prompts. */
export function nextToStart(queue: QueueState, runnerAvailable: boolean): QueuedPrompt | null {
  if (!runnerAvailable || queue.running) return null;
  return queue.queued[0] ?? null;
}

/** Whether another prompt fits in the queue. */
export function hasRoom(queue: QueueState): boolean {
  return queue.queued.length < MAX_QUEUED_PROMPTS;
}

/** The status that the queue implies. */
export function statusOf(queue: QueueState): SessionStatus {
  if (queue.running) return "running";
  return queue.queued.length > 0 ? "queued" : "idle";
}
