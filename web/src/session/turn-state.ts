// The agent's work per prompt as a pure reducer: streamed text, tool calls, retries, usage, commits, notices.
import type { SessionEvent, ToolStatus, Usage } from "../../../protocol/events.ts";
import type { ServerMessage } from "../../../protocol/room.ts";

/**
 * Where a text block is: streaming; stale (the socket dropped, so the next delta after
 * resubscribing carries the whole text so far and replaces it); final; or cut off because the
 * turn ended before the block was finished.
 */
export type TextState = "streaming" | "stale" | "final" | "cut";

/** A block of assistant text, keyed by the model call (`step`) and the block within it (`index`). */
export interface TextItem {
  kind: "text";
  key: string;
  step: number;
  index: number;
  text: string;
  state: TextState;
}

/** One tool call: what it was asked, how it is going or how it ended. */
export interface ToolItem {
  kind: "tool";
  /** The tool use id. */
  key: string;
  name: string;
  input: unknown;
  status: ToolStatus | "running";
  durationMs: number | null;
  /** What the model was told, once finished. */
  output: string;
  truncated: boolean;
  annotations: string[];
  /** Output streamed while it runs; dropped once the finished output arrives. */
  liveOutput: string;
  /** The socket dropped while it ran: the next output after resubscribing is the whole tail. */
  liveStale: boolean;
}

/** Something a person should know about this turn. */
export interface NoticeItem {
  kind: "notice";
  key: string;
  level: "info" | "warning";
  text: string;
}

/** The turn's changes as committed on the session's branch. */
export interface CommitItem {
  kind: "commit";
  key: string;
  sha: string;
  branch: string;
  author: { name: string; email: string };
  message: string;
  files: string[];
}

/** The turn picked up again from a checkpoint after the session restarted. */
export interface ResumedItem {
  kind: "resumed";
  key: string;
}

/** Everything a turn shows, in the order it happened. */
export type TurnItem = TextItem | ToolItem | NoticeItem | CommitItem | ResumedItem;

/** The model call is waiting to be tried again. */
export interface RetryState {
  attempt: number;
  maxAttempts: number;
  delayMs: number;
  reason: string;
  /** When the retry was announced (server clock). */
  at: number;
}

/** The agent's turn on one prompt. */
export interface Turn {
  messageId: string;
  /** The seq of the first event of this turn; the timeline shows the turn there. */
  anchorSeq: number | null;
  model: string | null;
  rehearsal: boolean;
  items: TurnItem[];
  retry: RetryState | null;
  /** What the turn has used so far. */
  usage: Usage | null;
  /** The last model call that completed (its usage arrived); -1 before any. */
  settledStep: number;
  /** The prompt finished, stopped, failed or was cancelled. */
  ended: boolean;
}

/** The session's model settings as last changed. */
export interface AgentSettings {
  model: string;
  spendLimitUsd: number | null;
}

/** The agent's side of the room. */
export interface AgentState {
  turns: Record<string, Turn>;
  /** Running total of the session, from the latest usage event. */
  sessionUsage: Usage | null;
  /** Whether the latest turn ran on the rehearsal stand-in rather than a real model. */
  rehearsal: boolean;
  settings: AgentSettings | null;
}

/** Live output kept per running tool call; older output gives way (the finished call carries its own). */
export const MAX_LIVE_OUTPUT_CHARS = 64_000;

/** The agent state before the socket says anything, seeded from the session as read over HTTP. */
export function agentStateFrom(seed: {
  model: string;
  spendLimitUsd: number | null;
  usage: Usage;
}): AgentState {
  return {
    turns: {},
    sessionUsage: seed.usage,
    rehearsal: false,
    settings: { model: seed.model, spendLimitUsd: seed.spendLimitUsd },
  };
}

const textKey = (step: number, index: number) => `${step}:${index}`;

function newTurn(messageId: string, anchorSeq: number | null): Turn {
  return {
    messageId,
    anchorSeq,
    model: null,
    rehearsal: false,
    items: [],
    retry: null,
    usage: null,
    settledStep: -1,
    ended: false,
  };
}

/** Returns the state with one turn changed by `change`, creating the turn when it is new. */
function withTurn(
  state: AgentState,
  messageId: string,
  anchorSeq: number | null,
  change: (turn: Turn) => Turn,
): AgentState {
  const current = state.turns[messageId] ?? newTurn(messageId, anchorSeq);
  const anchored = current.anchorSeq === null ? { ...current, anchorSeq } : current;
  const next = change(anchored);
  if (next === current) return state;
  return { ...state, turns: { ...state.turns, [messageId]: next } };
}

function replaceItem(turn: Turn, key: string, kind: TurnItem["kind"], item: TurnItem): Turn {
  return {
    ...turn,
    items: turn.items.map((it) => (it.kind === kind && it.key === key ? item : it)),
  };
}

function findItem<K extends TurnItem["kind"]>(
  turn: Turn,
  kind: K,
  key: string,
): Extract<TurnItem, { kind: K }> | undefined {
  return turn.items.find(
    (it): it is Extract<TurnItem, { kind: K }> => it.kind === kind && it.key === key,
  );
}

/** Drops the text of model calls that are made again from the start, final blocks included. */
const withoutTextOf = (turn: Turn, void_: (step: number) => boolean): Turn => ({
  ...turn,
  items: turn.items.filter((it) => it.kind !== "text" || !void_(it.step)),
});

/** Applies one timeline event; events that are not the agent's leave the state as it is. */
export function applyAgentEvent(state: AgentState, event: SessionEvent): AgentState {
  const seq = event.seq;
  switch (event.type) {
    case "agent.turn_started": {
      const { messageId, model, rehearsal, resumed } = event.data;
      const next = withTurn(state, messageId, seq, (turn) => {
        // A resumed turn makes its unfinished model call again, under the same step number.
        const restarted = withoutTextOf(turn, (step) => step > turn.settledStep);
        const marker: TurnItem[] = resumed ? [{ kind: "resumed", key: `r${seq}` }] : [];
        return {
          ...restarted,
          model,
          rehearsal,
          retry: null,
          items: [...restarted.items, ...marker],
        };
      });
      return { ...next, rehearsal };
    }
    case "agent.text": {
      const { messageId, step, index, text } = event.data;
      const key = textKey(step, index);
      return withTurn(state, messageId, seq, (turn) => {
        const item: TextItem = { kind: "text", key, step, index, text, state: "final" };
        const settled = { ...turn, retry: null };
        return findItem(turn, "text", key)
          ? replaceItem(settled, key, "text", item)
          : { ...settled, items: [...turn.items, item] };
      });
    }
    case "agent.tool_started": {
      const { messageId, toolUseId, name, input } = event.data;
      return withTurn(state, messageId, seq, (turn) => {
        if (findItem(turn, "tool", toolUseId)) return { ...turn, retry: null };
        const item: ToolItem = {
          kind: "tool",
          key: toolUseId,
          name,
          input,
          status: "running",
          durationMs: null,
          output: "",
          truncated: false,
          annotations: [],
          liveOutput: "",
          liveStale: false,
        };
        return { ...turn, retry: null, items: [...turn.items, item] };
      });
    }
    case "agent.tool_finished": {
      const { messageId, toolUseId, name, status, durationMs, output, truncated, annotations } =
        event.data;
      return withTurn(state, messageId, seq, (turn) => {
        const started = findItem(turn, "tool", toolUseId);
        const item: ToolItem = {
          kind: "tool",
          key: toolUseId,
          name,
          input: started?.input,
          status,
          durationMs,
          output,
          truncated,
          annotations,
          liveOutput: "",
          liveStale: false,
        };
        const settled = { ...turn, retry: null };
        return started
          ? replaceItem(settled, toolUseId, "tool", item)
          : { ...settled, items: [...turn.items, item] };
      });
    }
    case "agent.retrying": {
      const { messageId, step: retried, attempt, maxAttempts, delayMs, reason } = event.data;
      return withTurn(state, messageId, seq, (turn) => ({
        ...withoutTextOf(turn, (step) => step === retried),
        retry: { attempt, maxAttempts, delayMs, reason, at: event.at },
      }));
    }
    case "agent.usage": {
      const { messageId, model, step, turn: used, session } = event.data;
      const next = withTurn(state, messageId, seq, (turn) => ({
        ...turn,
        model,
        usage: used,
        settledStep: Math.max(turn.settledStep, step),
      }));
      return { ...next, sessionUsage: session };
    }
    case "agent.fast_usage":
      return { ...state, sessionUsage: event.data.session };
    case "agent.notice": {
      const { messageId, level, text } = event.data;
      if (messageId === null) return state;
      return withTurn(state, messageId, seq, (turn) => ({
        ...turn,
        items: [...turn.items, { kind: "notice", key: `n${seq}`, level, text }],
      }));
    }
    case "commit.created": {
      const { messageId, sha, branch, author, message, files } = event.data;
      return withTurn(state, messageId, seq, (turn) => ({
        ...turn,
        items: [
          ...turn.items,
          { kind: "commit", key: `c${seq}`, sha, branch, author, message, files },
        ],
      }));
    }
    case "session.settings_changed":
      return { ...state, settings: { ...event.data } };
    case "prompt.finished":
    case "prompt.cancelled":
      return endTurn(state, event.data.messageId);
    default:
      return state;
  }
}

/** Closes a turn: no more retries or streams; text that never became final is kept as cut off. */
function endTurn(state: AgentState, messageId: string): AgentState {
  const turn = state.turns[messageId];
  if (!turn || turn.ended) return state;
  const items = turn.items.flatMap((item): TurnItem[] => {
    if (item.kind === "text" && item.state !== "final") {
      return item.text ? [{ ...item, state: "cut" }] : [];
    }
    // A call the room never reported finished did not finish: say so rather than spin forever.
    if (item.kind === "tool" && item.status === "running") {
      return [{ ...item, status: "interrupted" }];
    }
    return [item];
  });
  const ended: Turn = { ...turn, items, retry: null, ended: true };
  return { ...state, turns: { ...state.turns, [messageId]: ended } };
}

/**
 * Applies a streamed text delta: appended to its block until the block's final text arrives.
 * The first delta for a stale block is the room's catch-up copy of the whole text so far.
 */
export function applyAgentDelta(
  state: AgentState,
  delta: Extract<ServerMessage, { type: "agent.delta" }>,
): AgentState {
  const { messageId, step, index, text } = delta;
  if (state.turns[messageId]?.ended) return state;
  const key = textKey(step, index);
  return withTurn(state, messageId, null, (turn) => {
    const block = findItem(turn, "text", key);
    if (!block) {
      const item: TextItem = { kind: "text", key, step, index, text, state: "streaming" };
      return { ...turn, retry: null, items: [...turn.items, item] };
    }
    if (block.state === "final") return turn;
    const grown: TextItem = {
      ...block,
      text: block.state === "stale" ? text : block.text + text,
      state: "streaming",
    };
    return { ...replaceItem(turn, key, "text", grown), retry: null };
  });
}

/** Applies live output of a running tool call; output for calls not (or no longer) running is ignored. */
export function applyToolOutput(
  state: AgentState,
  output: Extract<ServerMessage, { type: "tool.output" }>,
): AgentState {
  const turn = state.turns[output.messageId];
  const call = turn && findItem(turn, "tool", output.toolUseId);
  if (!turn || !call || call.status !== "running") return state;
  const joined = call.liveStale ? output.text : call.liveOutput + output.text;
  const grown: ToolItem = {
    ...call,
    liveOutput: joined.slice(-MAX_LIVE_OUTPUT_CHARS),
    liveStale: false,
  };
  const next = { ...replaceItem(turn, call.key, "tool", grown), retry: null };
  return { ...state, turns: { ...state.turns, [turn.messageId]: next } };
}

/**
 * The socket dropped: deltas sent meanwhile are lost, and on resubscribing the room sends each
 * open block's text and each running tool's output tail again in full. What is on screen stays
 * until that copy replaces it.
 */
export function markStreamsStale(state: AgentState): AgentState {
  let turns = state.turns;
  for (const turn of Object.values(state.turns)) {
    if (turn.ended) continue;
    const items = turn.items.map((item): TurnItem => {
      if (item.kind === "text" && item.state === "streaming") return { ...item, state: "stale" };
      if (item.kind === "tool" && item.status === "running") return { ...item, liveStale: true };
      return item;
    });
    turns = { ...turns, [turn.messageId]: { ...turn, items } };
  }
  return turns === state.turns ? state : { ...state, turns };
}
