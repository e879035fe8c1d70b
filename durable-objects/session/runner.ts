// The port through which the room hands prompts to whatever works on them (the agent).
import type { NewEvent, QueuedPrompt } from "../../protocol/events.ts";

/** How a turn ended. */
export type TurnOutcome =
  { state: "done" } | { state: "stopped" } | { state: "failed"; reason: string };

/** What a running turn may do in its room. */
export interface TurnContext {
  /** Aborted when a participant stops the turn; the runner must then end soon with "stopped". */
  readonly signal: AbortSignal;
  /** The object restarted while this turn ran; the runner resumes it from its checkpoint. */
  readonly resumed: boolean;
  /** Appends an event to the timeline and broadcasts it. */
  emit(event: NewEvent): void;
}

/** Works on one prompt at a time, in queue order. */
export interface PromptRunner {
  run(prompt: QueuedPrompt, context: TurnContext): Promise<TurnOutcome>;
}
