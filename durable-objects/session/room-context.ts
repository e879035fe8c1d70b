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
import { Outbox } from "./outbox.ts";
import type { RoomSocket, SocketHub } from "./socket-hub.ts";
import type { SessionStore } from "./store.ts";

/** The D1 index row that lists this session; the room keeps its status current. */
export interface SessionIndex {
  setStatus(sessionId: string, status: SessionStatus, at: number): Promise<void>;
}

/** Where the session reports facts for the stats index (prompts, first responses, usage, pull requests). */
export interface SessionReporter {
  report(fact: StatsFact): Promise<void>;
}

/** What every part of the room uses: storage, sockets, the clock, the alarm, logs, background work. */
export interface RoomServices {
  store: SessionStore;
  hub: SocketHub;
  now: () => number;
  index: SessionIndex;
  /** The stats index; without it the session reports nothing. */
  stats?: SessionReporter;
  /** Points the object's single alarm at `at` (or clears it with null). */
  setAlarm: (at: number | null) => void;
  log: (message: string, fields?: Record<string, unknown>) => void;
  /** Asks the repository's pool for a ready sandbox (predictive warm-up); never waits. */
  prewarm: (repo: string) => void;
  /** Keeps the object alive until background work ends. */
  background: (work: Promise<unknown>) => void;
}

/** Shared services of the room's parts. */
export class RoomContext {
  readonly deps: RoomServices;
  /** What the agent is streaming now, sent to subscribed sockets in small batches. */
  readonly live: LiveOutput;
  /** Everything sent to all sockets, in order and gathered into few frames while busy. */
  private readonly outbox: Outbox;
  constructor(deps: RoomServices) {
    this.deps = deps;
    this.outbox = new Outbox(deps.hub, deps.now);
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
    this.outbox.event(stored);
    return stored;
  }

  /** Sends one message to every socket that has caught up with the timeline. */
  broadcastLive(message: ServerMessage): void {
    this.outbox.message(message, "subscribed");
  }

  /** Sends one message to every open socket. */
  broadcast(message: ServerMessage): void {
    this.outbox.message(message, "all");
  }

  /** Sends what is waiting for everyone now, so that what follows comes after it. */
  flush(): void {
    this.outbox.flush();
  }

  /** The socket, whose own messages come after everything sent to everyone before them. */
  direct(socket: RoomSocket): RoomSocket {
    return {
      connection: socket.connection,
      send: (message) => {
        this.outbox.flush();
        socket.send(message);
      },
      update: (connection) => this.direct(socket.update(connection)),
      close: (code, reason) => socket.close(code, reason),
    };
  }

  /** Tells everyone who is here and who is typing. */
  broadcastPresence(): void {
    const connections = this.deps.hub.all().map((s) => s.connection);
    const people = presenceOf(connections, (id) => this.store.participant(id), this.deps.now());
    this.broadcast({ type: "presence", people });
  }
}
