// The session room: participants, the prompt queue, the timeline and the live sockets.
// Every public method is one platform event or RPC call; the Durable Object class only forwards.
import type { Participant, SessionView, ShareLink } from "../../protocol/api.ts";
import { ERROR_CODES, fail, ok, type Failure, type Result } from "../../protocol/errors.ts";
import type { NewEvent, Person, QueuedPrompt, Role, SessionEvent, ShareRole } from "../../protocol/events.ts";
import { newId, type IdPrefix } from "../../protocol/ids.ts";
import { TYPING_TTL_MS, type ClientMessage, type ServerMessage } from "../../protocol/room.ts";
import { randomSecret, sha256Hex } from "../../crypto/digest.ts";
import { decodeClientFrame } from "./client-frames.ts";
import { can, strongerRole, type Action } from "./permissions.ts";
import { nextTypingExpiry, presenceOf, type Connection } from "./presence.ts";
import { hasRoom, MAX_QUEUED_PROMPTS, nextToStart, statusOf, type SessionStatus } from "./prompt-queue.ts";
import { framesOf } from "./replay.ts";
import type { PromptRunner, TurnOutcome } from "./runner.ts";
import type { RoomSocket, SocketHub } from "./socket-hub.ts";
import type { SessionStore } from "./store.ts";

/** How many stored events one replay query reads at a time. */
const REPLAY_PAGE = 2_000;
const TYPING_DEADLINE = "presence.typing";

/** The D1 index row that lists this session; the room keeps its status current. */
export interface SessionIndex {
  setStatus(sessionId: string, status: SessionStatus, at: number): Promise<void>;
}

/** Everything the room needs from outside, built once by the Durable Object. */
export interface RoomDeps {
  store: SessionStore;
  hub: SocketHub;
  now: () => number;
  runner: PromptRunner | null;
  index: SessionIndex;
  /** Points the object's single alarm at `at` (or clears it with null). */
  setAlarm: (at: number | null) => void;
  log: (message: string, fields?: Record<string, unknown>) => void;
}

/** What creating a session needs. */
export interface InitInput {
  id: string;
  repo: string;
  title: string;
  owner: Person;
  prompt?: { clientId: string; text: string };
}

/** Answer to an accepted prompt. */
export interface PromptAccepted {
  messageId: string;
  duplicate: boolean;
}

/** A new share link with its secret token, shown once. */
export interface CreatedShareLink {
  link: ShareLink;
  token: string;
}

/** The in-memory handle of the turn that is running now. */
interface ActiveTurn {
  messageId: string;
  controller: AbortController;
}

export class SessionRoom {
  private turn: ActiveTurn | null = null;
  private lastStatus: SessionStatus | null = null;

  constructor(private readonly deps: RoomDeps) {}

  private get store(): SessionStore {
    return this.deps.store;
  }

  private id(prefix: IdPrefix): string {
    return newId(prefix, this.deps.now());
  }

  /** Creates the session; calling again with the same id is a no-op that returns the view. */
  init(input: InitInput): Result<SessionView> {
    const existing = this.store.meta();
    if (existing) {
      return existing.id === input.id
        ? this.view(input.owner.userId)
        : fail("conflict", "This session object already holds another session.");
    }
    const at = this.deps.now();
    this.store.initialize({
      id: input.id,
      repo: input.repo,
      title: input.title,
      createdBy: input.owner.userId,
      createdAt: at,
    });
    this.store.upsertParticipant(input.owner, "owner", at);
    this.record({ type: "session.created", actor: input.owner, data: { repo: input.repo, title: input.title } });
    this.record({
      type: "participant.joined",
      actor: input.owner,
      data: { person: input.owner, role: "owner", via: "create" },
    });
    if (input.prompt) {
      const accepted = this.submitPrompt(input.owner, input.prompt);
      if (!accepted.ok) return accepted;
    }
    return this.view(input.owner.userId);
  }

  /** The session as one participant sees it. */
  view(userId: string): Result<SessionView> {
    const allowed = this.authorize(userId, "read");
    if (!allowed.ok) return allowed;
    const meta = this.store.meta()!;
    const participants = this.store.participants();
    const creator = participants.find((p) => p.person.userId === meta.createdBy);
    return ok({
      id: meta.id,
      repo: meta.repo,
      title: meta.title,
      createdAt: meta.createdAt,
      createdBy: creator?.person ?? { userId: meta.createdBy, login: "unknown", name: null, avatarUrl: null },
      role: allowed.value.role,
      participants,
      queue: this.store.queue(),
      lastSeq: this.store.lastSeq(),
    });
  }

  /** A page of the timeline after a cursor. */
  eventsAfter(userId: string, after: number, limit: number): Result<{ events: SessionEvent[]; lastSeq: number }> {
    const allowed = this.authorize(userId, "read");
    if (!allowed.ok) return allowed;
    return ok({ events: this.store.eventsAfter(after, limit), lastSeq: this.store.lastSeq() });
  }

  /** Queues a prompt, once per (author, client id). */
  submitPrompt(author: Person, input: { clientId: string; text: string }): Result<PromptAccepted> {
    const allowed = this.authorize(author.userId, "prompt");
    if (!allowed.ok) return allowed;
    const existing = this.store.messageByClientId(author.userId, input.clientId);
    if (existing) return ok({ messageId: existing.messageId, duplicate: true });
    if (!hasRoom(this.store.queue())) {
      return fail("queue_full", `The queue already holds ${MAX_QUEUED_PROMPTS} prompts; wait for some to run.`);
    }
    const prompt = this.store.insertMessage({
      id: this.id("msg"),
      clientId: input.clientId,
      authorId: author.userId,
      text: input.text,
      createdAt: this.deps.now(),
    });
    this.record({ type: "prompt.queued", actor: author, data: { prompt } });
    this.queueChanged();
    return ok({ messageId: prompt.messageId, duplicate: false });
  }

  /** Removes a prompt that has not started yet. */
  cancelPrompt(userId: string, messageId: string): Result<{ messageId: string }> {
    const allowed = this.authorize(userId, "read");
    if (!allowed.ok) return allowed;
    const prompt = this.store.message(messageId);
    if (!prompt) return fail("not_found", "No prompt with that id in this session.");
    const action: Action = prompt.author.userId === userId ? "cancel_own_prompt" : "cancel_any_prompt";
    if (!can(allowed.value.role, action)) {
      return fail("forbidden", "Only the session owner can cancel someone else's prompt.");
    }
    if (prompt.state !== "queued") {
      return fail("conflict", `That prompt is ${prompt.state}; only queued prompts can be cancelled (use stop for the running one).`);
    }
    this.store.setMessageState(messageId, "cancelled", this.deps.now());
    this.record({ type: "prompt.cancelled", actor: allowed.value.person, data: { messageId } });
    this.queueChanged();
    return ok({ messageId });
  }

  /** Stops the running turn; the next queued prompt then starts. */
  stop(userId: string): Result<{ messageId: string }> {
    const allowed = this.authorize(userId, "stop");
    if (!allowed.ok) return allowed;
    const running = this.store.queue().running;
    if (!running) return fail("nothing_running", "Nothing is running in this session.");
    this.record({ type: "session.stop_requested", actor: allowed.value.person, data: { messageId: running.messageId } });
    if (this.turn?.messageId === running.messageId) {
      this.turn.controller.abort();
    } else {
      // No live runner holds this turn (the object restarted): end it here.
      this.finish(running.messageId, { state: "stopped" });
    }
    return ok({ messageId: running.messageId });
  }

  /** Creates a share link granting `role`; the token is returned once and stored hashed. */
  async createShareLink(userId: string, role: ShareRole, expiresInHours?: number): Promise<Result<CreatedShareLink>> {
    const token = randomSecret("tsl");
    const tokenHash = await sha256Hex(token);
    const allowed = this.authorize(userId, "share");
    if (!allowed.ok) return allowed;
    const at = this.deps.now();
    const row = {
      id: this.id("shr"),
      tokenHash,
      role,
      createdBy: userId,
      createdAt: at,
      expiresAt: expiresInHours ? at + expiresInHours * 3_600_000 : null,
      revokedAt: null,
    };
    this.store.insertShareLink(row);
    this.record({ type: "share_link.created", actor: allowed.value.person, data: { linkId: row.id, role } });
    return ok({ link: toShareLink(row), token });
  }

  listShareLinks(userId: string): Result<ShareLink[]> {
    const allowed = this.authorize(userId, "share");
    if (!allowed.ok) return allowed;
    return ok(this.store.shareLinks().map(toShareLink));
  }

  /** Revokes a link: nobody new joins with it; people who joined stay. */
  revokeShareLink(userId: string, linkId: string): Result<ShareLink> {
    const allowed = this.authorize(userId, "share");
    if (!allowed.ok) return allowed;
    if (!this.store.shareLink(linkId)) return fail("not_found", "No share link with that id in this session.");
    if (this.store.revokeShareLink(linkId, this.deps.now())) {
      this.record({ type: "share_link.revoked", actor: allowed.value.person, data: { linkId } });
    }
    return ok(toShareLink(this.store.shareLink(linkId)!));
  }

  /** Makes the holder of a valid link a participant with the link's role (never a weaker one). */
  async join(person: Person, token: string): Promise<Result<{ role: Role; sessionId: string }>> {
    const tokenHash = await sha256Hex(token);
    const meta = this.store.meta();
    const link = this.store.shareLinkByHash(tokenHash);
    if (!meta || !link) return fail("not_found", "This share link is not valid.");
    if (link.revokedAt !== null) return fail("link_revoked", "This share link was revoked by the session owner.");
    const at = this.deps.now();
    if (link.expiresAt !== null && link.expiresAt <= at) return fail("link_revoked", "This share link has expired.");
    const current = this.store.participant(person.userId);
    const role = current ? strongerRole(current.role, link.role) : link.role;
    this.store.upsertParticipant(person, role, current?.joinedAt ?? at);
    if (!current) {
      this.record({ type: "participant.joined", actor: person, data: { person, role, via: "share_link" } });
    } else if (current.role !== role) {
      this.record({ type: "participant.role_changed", actor: person, data: { person, role } });
    }
    this.broadcastPresence();
    return ok({ role, sessionId: meta.id });
  }

  /** Whether a person may open a socket; the attachment for the new socket. */
  connect(userId: string): Result<Connection> {
    const allowed = this.authorize(userId, "read");
    if (!allowed.ok) return allowed;
    return ok({ connectionId: this.id("con"), userId, subscribed: false, typingUntil: 0 });
  }

  /** Greets a socket that was just accepted and tells everyone who is here. */
  opened(socket: RoomSocket): void {
    const participant = this.store.participant(socket.connection.userId);
    const meta = this.store.meta();
    if (!participant || !meta) return socket.close(4404, "not a participant");
    socket.send({
      type: "hello",
      connectionId: socket.connection.connectionId,
      sessionId: meta.id,
      you: participant.person,
      role: participant.role,
      lastSeq: this.store.lastSeq(),
    });
    socket.send({ type: "queue", queue: this.store.queue() });
    this.broadcastPresence();
  }

  /** Handles one frame from a client; bad input is answered, never thrown. */
  message(socket: RoomSocket, frame: string | ArrayBuffer): void {
    const decoded = decodeClientFrame(frame);
    if (!decoded.ok) return this.sendError(socket, decoded, null);
    try {
      this.dispatch(socket, decoded.value);
    } catch (error) {
      this.deps.log("room.message.failed", { error: String(error), type: decoded.value.type });
      this.sendError(socket, fail("internal", "The room could not handle that message; try again."), decoded.value.type);
    }
  }

  /** Forgets a socket that closed and tells the others. */
  closed(socket: RoomSocket): void {
    this.store.touchParticipant(socket.connection.userId, this.deps.now());
    this.broadcastPresence();
  }

  /** Runs every deadline that is due and re-arms the alarm for the next one. */
  alarm(): void {
    const due = this.store.takeDueDeadlines(this.deps.now());
    if (due.includes(TYPING_DEADLINE)) {
      this.broadcastPresence();
      this.scheduleTypingExpiry();
    }
    this.deps.setAlarm(this.store.earliestDeadline());
  }

  /** Starts queued work after the object (re)starts. */
  resume(): void {
    const running = this.store.queue().running;
    if (running && !this.turn && this.deps.runner) {
      this.finish(running.messageId, { state: "failed", reason: "The turn was interrupted by a restart." });
      return;
    }
    this.pump();
  }

  private dispatch(socket: RoomSocket, message: ClientMessage): void {
    const userId = socket.connection.userId;
    const participant = this.store.participant(userId);
    if (!participant) return socket.close(4404, "not a participant");
    switch (message.type) {
      case "subscribe":
        return this.subscribe(socket, message.cursor);
      case "prompt": {
        const result = this.submitPrompt(participant.person, message);
        if (!result.ok) return this.sendError(socket, result, message.clientId);
        return socket.send({ type: "prompt.accepted", clientId: message.clientId, ...result.value });
      }
      case "prompt.cancel": {
        const result = this.cancelPrompt(userId, message.messageId);
        return result.ok ? undefined : this.sendError(socket, result, message.type);
      }
      case "stop": {
        const result = this.stop(userId);
        return result.ok ? undefined : this.sendError(socket, result, message.type);
      }
      case "typing":
        return this.typing(socket, participant, message.typing);
      case "ping":
        return socket.send({ type: "pong" });
      default:
        message satisfies never;
    }
  }

  /** Replays every event after the cursor, then marks the socket live — with no await in between, so nothing falls in a gap. */
  private subscribe(socket: RoomSocket, cursor: number): void {
    let after = cursor;
    for (;;) {
      const page = this.store.eventsAfter(after, REPLAY_PAGE);
      for (const frame of framesOf(page)) socket.send(frame);
      if (page.length < REPLAY_PAGE) break;
      after = page[page.length - 1]!.seq;
    }
    socket.update({ ...socket.connection, subscribed: true });
    socket.send({ type: "subscribed", cursor, lastSeq: this.store.lastSeq() });
  }

  private typing(socket: RoomSocket, participant: Participant, typing: boolean): void {
    if (!can(participant.role, "prompt")) {
      return this.sendError(socket, fail("forbidden", "Viewers cannot prompt, so they cannot type either."), "typing");
    }
    const now = this.deps.now();
    const wasTyping = socket.connection.typingUntil > now;
    socket.update({ ...socket.connection, typingUntil: typing ? now + TYPING_TTL_MS : 0 });
    if (wasTyping !== typing) this.broadcastPresence();
    this.scheduleTypingExpiry();
  }

  private scheduleTypingExpiry(): void {
    const now = this.deps.now();
    const expiry = nextTypingExpiry(this.deps.hub.all().map((s) => s.connection), now);
    if (expiry === null) this.store.clearDeadline(TYPING_DEADLINE);
    else this.store.setDeadline(TYPING_DEADLINE, expiry);
    this.deps.setAlarm(this.store.earliestDeadline());
  }

  /** Appends an event and sends it to every subscribed socket. */
  private record(event: NewEvent): SessionEvent {
    const stored = this.store.append(event, this.deps.now());
    const frame = JSON.stringify({ type: "events", replay: false, events: [stored] } satisfies ServerMessage);
    for (const socket of this.deps.hub.all()) {
      if (socket.connection.subscribed) socket.send(frame);
    }
    return stored;
  }

  private broadcast(message: ServerMessage): void {
    const frame = JSON.stringify(message);
    for (const socket of this.deps.hub.all()) socket.send(frame);
  }

  private broadcastPresence(): void {
    const connections = this.deps.hub.all().map((s) => s.connection);
    const people = presenceOf(connections, (id) => this.store.participant(id), this.deps.now());
    this.broadcast({ type: "presence", people });
  }

  /** Broadcasts the queue, starts the next prompt if it can, and mirrors the status to the index. */
  private queueChanged(): void {
    this.pump();
    const queue = this.store.queue();
    this.broadcast({ type: "queue", queue });
    const status = statusOf(queue);
    if (status !== this.lastStatus) {
      this.lastStatus = status;
      const meta = this.store.meta();
      if (meta) {
        this.deps.index.setStatus(meta.id, status, this.deps.now()).catch((error: unknown) => {
          this.deps.log("session.index.failed", { error: String(error) });
        });
      }
    }
  }

  private pump(): void {
    const runner = this.deps.runner;
    const next = nextToStart(this.store.queue(), runner !== null);
    if (!runner || !next) return;
    this.store.setMessageState(next.messageId, "running", this.deps.now());
    this.record({ type: "prompt.started", actor: null, data: { messageId: next.messageId } });
    const controller = new AbortController();
    this.turn = { messageId: next.messageId, controller };
    const prompt: QueuedPrompt = { ...next, state: "running" };
    runner
      .run(prompt, { signal: controller.signal, emit: (event) => void this.record(event) })
      .catch((error: unknown): TurnOutcome => ({ state: "failed", reason: String(error) }))
      .then((outcome) => this.finish(next.messageId, controller.signal.aborted ? { state: "stopped" } : outcome));
  }

  private finish(messageId: string, outcome: TurnOutcome): void {
    if (this.turn?.messageId === messageId) this.turn = null;
    const current = this.store.message(messageId);
    if (!current || current.state !== "running") return;
    this.store.setMessageState(messageId, outcome.state, this.deps.now());
    this.record({
      type: "prompt.finished",
      actor: null,
      data: { messageId, state: outcome.state, reason: outcome.state === "failed" ? outcome.reason : null },
    });
    this.queueChanged();
  }

  private sendError(socket: RoomSocket, failure: Failure, replyTo: string | null): void {
    const { code, message } = failure.error;
    socket.send({ type: "error", code, message, retryable: ERROR_CODES[code].retryable, replyTo });
  }

  /** The participant, if they may do `action`; not_found for outsiders so a session's existence does not leak. */
  private authorize(userId: string, action: Action): Result<Participant> {
    const participant = this.store.meta() ? this.store.participant(userId) : undefined;
    if (!participant) return fail("not_found", "Session not found.");
    if (!can(participant.role, action)) return fail("forbidden", forbiddenMessage(participant.role, action));
    return ok(participant);
  }
}

function forbiddenMessage(role: Role, action: Action): string {
  const what: Record<Action, string> = {
    read: "read this session",
    prompt: "send prompts",
    stop: "stop the agent",
    cancel_own_prompt: "cancel prompts",
    cancel_any_prompt: "cancel someone else's prompt",
    share: "manage share links",
  };
  return `As a ${role} you cannot ${what[action]} in this session.`;
}

function toShareLink(row: {
  id: string;
  role: ShareRole;
  createdAt: number;
  expiresAt: number | null;
  revokedAt: number | null;
}): ShareLink {
  return { id: row.id, role: row.role, createdAt: row.createdAt, expiresAt: row.expiresAt, revokedAt: row.revokedAt };
}
