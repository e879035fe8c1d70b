// What every part of the room shares: its dependencies, access checks, and the timeline writer.
import type { Participant } from "../../protocol/api.ts";
import { fail, ok, type Result } from "../../protocol/errors.ts";
import type { NewEvent, SessionEvent } from "../../protocol/events.ts";
import { newId, type IdPrefix } from "../../protocol/ids.ts";
import type { ServerMessage } from "../../protocol/room.ts";
import type { StatsFact } from "../../protocol/stats.ts";
import { can, forbiddenMessage, type Action } from "../../protocol/roles.ts";
import { LiveOutput } from "./live-output.ts";
import { presenceOf } from "./presence.ts";
import type { SessionStatus } from "../../protocol/api.ts";
import type { AgentConfig } from "./agent-runner.ts";
import type { AgentStore } from "./agent-store.ts";
import type { PullRequestDeps } from "./pull-request.ts";
import type { PromptRunner } from "./runner.ts";
import type { SessionSandboxDeps } from "./session-sandbox.ts";
import type { SocketHub } from "./socket-hub.ts";
import type { TeamLimits } from "../../orchestration/limits.ts";
import type { LinkedSessions } from "./team.ts";
import type { TeamStore } from "./team-store.ts";
import type { PipelineDeps } from "./pipelines.ts";
import type { FanOutDeps } from "./fan-out.ts";
import type { SessionSandbox } from "./session-sandbox.ts";
import type { SessionStore } from "./store.ts";

/** The D1 index row that lists this session; the room keeps its status current. */
export interface SessionIndex {
  setStatus(sessionId: string, status: SessionStatus, at: number): Promise<void>;
}

/** Where the session reports facts for the stats index (prompts, first responses, usage, pull requests). */
export interface SessionReporter {
  report(fact: StatsFact): Promise<void>;
}

/** Everything the room needs from outside, built once by the Durable Object. */
export interface RoomDeps {
  store: SessionStore;
  hub: SocketHub;
  now: () => number;
  /** A runner given directly (tests); otherwise the agent runs prompts when `agent` is given. */
  runner: PromptRunner | null;
  /** The agent's configuration and checkpoint storage. */
  agent?: { config: AgentConfig; store: AgentStore };
  index: SessionIndex;
  /** GitHub pull requests; without it the session publishes nothing. */
  pullRequests?: PullRequestDeps;
  /** The stats index; without it the session reports nothing. */
  stats?: SessionReporter;
  /** Points the object's single alarm at `at` (or clears it with null). */
  setAlarm: (at: number | null) => void;
  log: (message: string, fields?: Record<string, unknown>) => void;
  /** Asks the repository's pool for a ready sandbox (predictive warm-up); never waits. */
  prewarm: (repo: string) => void;
  /** The sandbox provider and the repository's registration and pool. */
  sandboxes: SessionSandboxDeps;
  /** Keeps the object alive until background work ends. */
  background: (work: Promise<unknown>) => void;
  /** Other Session objects and the limits on starting them; without it the agent works alone. */
  team?: { linked: LinkedSessions; limits: TeamLimits; store: TeamStore };
  /** Routing guides and the fast model, for fan-outs. */
  fanOut?: (sandbox: SessionSandbox) => FanOutDeps;
  /** Pipeline runs: their storage and definitions; built with the room's sandbox. */
  pipelines?: (sandbox: SessionSandbox) => PipelineDeps;
}

/** Shared services of the room's parts. */
export class RoomContext {
  readonly deps: RoomDeps;
  /** What the agent is streaming now, sent to subscribed sockets in small batches. */
  readonly live: LiveOutput;
  constructor(deps: RoomDeps) {
    this.deps = deps;
    this.live = new LiveOutput((message) => this.broadcastLive(message), deps.now);
  }

  get store(): SessionStore {
    return this.deps.store;
  }

  now(): number {
    return this.deps.now();
  }

  id(prefix: IdPrefix): string {
    return newId(prefix, this.deps.now());
  }

  /** The participant, if they may do `action`; not_found for outsiders so a session's existence does not leak. */
  authorize(userId: string, action: Action): Result<Participant> {
    const participant = this.store.meta() ? this.store.participant(userId) : undefined;
    if (!participant) return fail("not_found", "Session not found.");
    if (!can(participant.role, action))
      return fail("forbidden", forbiddenMessage(participant.role, action));
    return ok(participant);
  }

  /** Appends an event and sends it to every subscribed socket. */
  record(event: NewEvent): SessionEvent {
    const stored = this.store.append(event, this.deps.now());
    const frame = JSON.stringify({
      type: "events",
      replay: false,
      events: [stored],
    } satisfies ServerMessage);
    for (const socket of this.deps.hub.all()) {
      if (socket.connection.subscribed) socket.send(frame);
    }
    return stored;
  }

  /** Sends one message to every socket that has caught up with the timeline. */
  broadcastLive(message: ServerMessage): void {
    const frame = JSON.stringify(message);
    for (const socket of this.deps.hub.all()) {
      if (socket.connection.subscribed) socket.send(frame);
    }
  }

  /** Sends one message to every open socket. */
  broadcast(message: ServerMessage): void {
    const frame = JSON.stringify(message);
    for (const socket of this.deps.hub.all()) socket.send(frame);
  }

  /** Tells everyone who is here and who is typing. */
  broadcastPresence(): void {
    const connections = this.deps.hub.all().map((s) => s.connection);
    const people = presenceOf(connections, (id) => this.store.participant(id), this.deps.now());
    this.broadcast({ type: "presence", people });
  }
}
