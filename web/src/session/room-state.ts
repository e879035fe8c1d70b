// The live state of one session room as a pure reducer over server messages and socket status.
import type { SessionView } from "../../../protocol/api.ts";
import type { ErrorCode } from "../../../protocol/errors.ts";
import type {
  Person,
  QueuedPrompt,
  RemovalReason,
  Role,
  SessionEvent,
} from "../../../protocol/events.ts";
import type { PresenceEntry, QueueState, ServerMessage } from "../../../protocol/room.ts";
import {
  applyAgentDelta,
  applyAgentEvent,
  applyToolOutput,
  agentStateFrom,
  markStreamsStale,
  type AgentState,
} from "./turn-state.ts";

/** Where the socket is: opening, replaying history, live, waiting to reconnect, or refused for good. */
export type ConnectionStatus = "connecting" | "syncing" | "live" | "offline" | "closed";

/** A prompt this tab sent that the room has not acknowledged yet. */
export interface PendingPrompt {
  clientId: string;
  text: string;
}

/** An error to show as a toast. */
export interface Toast {
  id: number;
  code: ErrorCode | "offline";
  message: string;
}

/** Everything the session screen renders from the socket. */
export interface RoomState {
  status: ConnectionStatus;
  /** Set when the room closed the socket because I left or the owner removed me. */
  removal: RemovalReason | null;
  /** Consecutive socket closes since the room was last live. */
  failures: number;
  me: Person | null;
  role: Role;
  /** The highest event seq applied; the cursor for the next subscribe. */
  lastSeq: number;
  /** The timeline, in strictly increasing seq order. */
  events: SessionEvent[];
  /** Every prompt the timeline mentions, by message id, with its latest state. */
  prompts: Record<string, QueuedPrompt>;
  /** The agent's turns, usage and settings, built from the timeline and the live streams. */
  agent: AgentState;
  queue: QueueState;
  presence: PresenceEntry[];
  pending: PendingPrompt[];
  toasts: Toast[];
  nextToastId: number;
}

/** Everything that changes the room state. */
export type RoomAction =
  | { type: "socket.connecting" }
  | { type: "socket.closed"; fatal: boolean; removal?: RemovalReason }
  | { type: "server"; message: ServerMessage }
  | { type: "prompt.composed"; clientId: string; text: string }
  | { type: "toast.added"; code: Toast["code"]; message: string }
  | { type: "toast.dismissed"; id: number };

/** How many toasts stay on screen at once; older ones give way. */
export const MAX_TOASTS = 4;

/** The state before the socket says anything, seeded from the session as read over HTTP. */
export function roomStateFrom(
  view: Pick<SessionView, "role" | "queue" | "model" | "spendLimitUsd" | "usage">,
): RoomState {
  return {
    status: "connecting",
    removal: null,
    failures: 0,
    me: null,
    role: view.role,
    lastSeq: 0,
    events: [],
    prompts: {},
    agent: agentStateFrom(view),
    queue: view.queue,
    presence: [],
    pending: [],
    toasts: [],
    nextToastId: 1,
  };
}

/** Applies one action. */
export function roomReducer(state: RoomState, action: RoomAction): RoomState {
  switch (action.type) {
    case "socket.connecting":
      return { ...state, status: "connecting" };
    case "socket.closed":
      return {
        ...state,
        status: action.fatal ? "closed" : "offline",
        removal: action.removal ?? state.removal,
        failures: state.failures + 1,
        presence: [],
        agent: markStreamsStale(state.agent),
      };
    case "server":
      return applyServerMessage(state, action.message);
    case "prompt.composed":
      return {
        ...state,
        pending: [...state.pending, { clientId: action.clientId, text: action.text }],
      };
    case "toast.added":
      return addToast(state, action.code, action.message);
    case "toast.dismissed":
      return { ...state, toasts: state.toasts.filter((toast) => toast.id !== action.id) };
    default:
      action satisfies never;
      return state;
  }
}

function applyServerMessage(state: RoomState, message: ServerMessage): RoomState {
  switch (message.type) {
    case "hello":
      return { ...state, status: "syncing", me: message.you, role: message.role };
    case "events":
      return applyEvents(state, message.events);
    case "subscribed":
      return { ...state, status: "live", failures: 0 };
    case "presence":
      return { ...state, presence: message.people };
    case "queue":
      return { ...state, queue: message.queue };
    case "prompt.accepted":
      return withoutPending(state, message.clientId);
    case "error": {
      const answered =
        message.replyTo !== null && state.pending.some((p) => p.clientId === message.replyTo);
      const next = answered ? withoutPending(state, message.replyTo!) : state;
      return addToast(next, message.code, message.message);
    }
    case "pong":
      return state;
    case "agent.delta":
      return { ...state, agent: applyAgentDelta(state.agent, message) };
    case "tool.output":
      return { ...state, agent: applyToolOutput(state.agent, message) };
    default:
      message satisfies never;
      return state;
  }
}

/** Appends events newer than the cursor, in seq order; anything at or below the cursor was seen already. */
function applyEvents(state: RoomState, incoming: readonly SessionEvent[]): RoomState {
  const fresh = incoming.filter((event) => event.seq > state.lastSeq).sort((a, b) => a.seq - b.seq);
  if (fresh.length === 0) return state;
  const events = [...state.events];
  const prompts = { ...state.prompts };
  let pending = state.pending;
  let lastSeq = state.lastSeq;
  let agent = state.agent;
  for (const event of fresh) {
    if (event.seq <= lastSeq) continue;
    events.push(event);
    lastSeq = event.seq;
    trackPrompt(prompts, event);
    agent = applyAgentEvent(agent, event);
    if (event.type === "prompt.queued" && event.data.prompt.author.userId === state.me?.userId) {
      const clientId = event.data.prompt.clientId;
      pending = pending.filter((p) => p.clientId !== clientId);
    }
  }
  return { ...state, events, prompts, agent, pending, lastSeq };
}

function trackPrompt(prompts: Record<string, QueuedPrompt>, event: SessionEvent): void {
  const update = (messageId: string, promptState: QueuedPrompt["state"]) => {
    const prompt = prompts[messageId];
    if (prompt) prompts[messageId] = { ...prompt, state: promptState };
  };
  if (event.type === "prompt.queued") prompts[event.data.prompt.messageId] = event.data.prompt;
  else if (event.type === "prompt.started") update(event.data.messageId, "running");
  else if (event.type === "prompt.finished") update(event.data.messageId, event.data.state);
  else if (event.type === "prompt.cancelled") update(event.data.messageId, "cancelled");
}

function withoutPending(state: RoomState, clientId: string): RoomState {
  if (!state.pending.some((p) => p.clientId === clientId)) return state;
  return { ...state, pending: state.pending.filter((p) => p.clientId !== clientId) };
}

function addToast(state: RoomState, code: Toast["code"], message: string): RoomState {
  const toast: Toast = { id: state.nextToastId, code, message };
  return {
    ...state,
    toasts: [...state.toasts, toast].slice(-MAX_TOASTS),
    nextToastId: state.nextToastId + 1,
  };
}

/** Whether the screen should say the room is offline and reconnecting. */
export function isReconnecting(state: RoomState): boolean {
  return state.status !== "live" && state.status !== "closed" && state.failures > 0;
}

/** People other than me who are typing right now. */
export function othersTyping(state: RoomState): Person[] {
  return state.presence
    .filter((entry) => entry.typing && entry.person.userId !== state.me?.userId)
    .map((entry) => entry.person);
}
