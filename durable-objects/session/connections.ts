// The room's sockets: greeting, subscribe-and-replay, typing, client messages, and leaving.
import { ERROR_CODES, fail, ok, type Failure, type Result } from "../../protocol/errors.ts";
import type { Participant } from "../../protocol/api.ts";
import { TYPING_TTL_MS, type ClientMessage } from "../../protocol/room.ts";
import { decodeClientFrame, replyToOf } from "./client-frames.ts";
import { NOT_PARTICIPANT_CLOSE_CODE } from "../../protocol/removal.ts";
import { can } from "../../protocol/roles.ts";
import { nextTypingExpiry, type Connection } from "./presence.ts";
import type { Prompts } from "./prompts.ts";
import { framesOf } from "./replay.ts";
import type { RoomContext } from "./room-context.ts";
import type { RoomSocket } from "./socket-hub.ts";

/** How many stored events one replay query reads at a time. */
const REPLAY_PAGE = 2_000;
const TYPING_DEADLINE = "presence.typing";

/** Handles every socket event of the room. */
export class Connections {
  private readonly room: RoomContext;
  private readonly prompts: Prompts;
  constructor(room: RoomContext, prompts: Prompts) {
    this.room = room;
    this.prompts = prompts;
  }

  /** Whether a person may open a socket; the attachment for the new socket. */
  connect(userId: string): Result<Connection> {
    const allowed = this.room.authorize(userId, "read");
    if (!allowed.ok) return allowed;
    return ok({ connectionId: this.room.id("con"), userId, subscribed: false, typingUntil: 0 });
  }

  /** Greets a socket that was just accepted and tells everyone who is here. */
  opened(accepted: RoomSocket): void {
    const socket = this.room.direct(accepted);
    const store = this.room.store;
    const participant = store.participant(socket.connection.userId);
    const meta = store.meta();
    if (!participant || !meta) return socket.close(NOT_PARTICIPANT_CLOSE_CODE, "not a participant");
    socket.send({
      type: "hello",
      connectionId: socket.connection.connectionId,
      sessionId: meta.id,
      you: participant.person,
      role: participant.role,
      lastSeq: store.lastSeq(),
    });
    socket.send({ type: "queue", queue: store.queue() });
    this.room.broadcastPresence();
  }

  /** Handles one frame from a client; bad input is answered, never thrown. */
  message(from: RoomSocket, frame: string | ArrayBuffer): void {
    const socket = this.room.direct(from);
    const decoded = decodeClientFrame(frame);
    if (!decoded.ok) return sendError(socket, decoded, decoded.replyTo);
    try {
      this.dispatch(socket, decoded.value);
    } catch (error) {
      this.room.deps.log("room.message.failed", { error: String(error), type: decoded.value.type });
      const failure = fail("internal", "The room could not handle that message; try again.");
      sendError(socket, failure, replyToOf(decoded.value));
    }
  }

  /** Forgets a socket that closed and tells the others. */
  closed(socket: RoomSocket): void {
    this.room.store.touchParticipant(socket.connection.userId, this.room.now());
    this.room.broadcastPresence();
  }

  /** Runs the socket deadlines that are due. */
  deadlinesDue(due: readonly string[]): void {
    if (!due.includes(TYPING_DEADLINE)) return;
    this.room.broadcastPresence();
    this.scheduleTypingExpiry();
  }

  private dispatch(socket: RoomSocket, message: ClientMessage): void {
    const userId = socket.connection.userId;
    const participant = this.room.store.participant(userId);
    if (!participant) return socket.close(NOT_PARTICIPANT_CLOSE_CODE, "not a participant");
    switch (message.type) {
      case "subscribe":
        return this.subscribe(socket, message.cursor);
      case "prompt": {
        const result = this.prompts.submit(participant.person, message);
        if (!result.ok) return sendError(socket, result, message.clientId);
        return socket.send({
          type: "prompt.accepted",
          clientId: message.clientId,
          ...result.value,
        });
      }
      case "prompt.cancel": {
        const result = this.prompts.cancel(userId, message.messageId);
        return result.ok ? undefined : sendError(socket, result, message.type);
      }
      case "stop": {
        const result = this.prompts.stop(userId);
        return result.ok ? undefined : sendError(socket, result, message.type);
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
    // Events stored but not yet sent go to the others first; this socket gets them in its replay.
    this.room.flush();
    const store = this.room.store;
    const lastSeq = store.lastSeq();
    if (cursor > lastSeq) {
      const message = `That cursor (${cursor}) is ahead of this session's history, which ends at ${lastSeq}; subscribe with a cursor of at most ${lastSeq}.`;
      return sendError(socket, fail("invalid_input", message), "subscribe");
    }
    let after = cursor;
    for (;;) {
      const page = store.eventsAfter(after, REPLAY_PAGE);
      for (const frame of framesOf(page)) socket.send(frame);
      if (page.length < REPLAY_PAGE) break;
      after = page[page.length - 1]!.seq;
    }
    socket.update({ ...socket.connection, subscribed: true });
    socket.send({ type: "subscribed", cursor, lastSeq: store.lastSeq() });
    // A turn streaming now: the text sent so far, so this socket continues level with the others.
    for (const message of this.room.live.snapshot()) socket.send(message);
  }

  private typing(socket: RoomSocket, participant: Participant, typing: boolean): void {
    if (!can(participant.role, "prompt")) {
      return sendError(
        socket,
        fail("forbidden", "Viewers cannot prompt, so they cannot type either."),
        "typing",
      );
    }
    const now = this.room.now();
    const wasTyping = socket.connection.typingUntil > now;
    socket.update({ ...socket.connection, typingUntil: typing ? now + TYPING_TTL_MS : 0 });
    if (wasTyping !== typing) this.room.broadcastPresence();
    // Someone is writing a prompt: get a sandbox ready before they press enter.
    if (typing && !wasTyping) {
      const repo = this.room.store.meta()?.repo;
      if (repo) this.room.deps.prewarm(repo);
    }
    this.scheduleTypingExpiry();
  }

  private scheduleTypingExpiry(): void {
    const store = this.room.store;
    const expiry = nextTypingExpiry(
      this.room.deps.hub.all().map((s) => s.connection),
      this.room.now(),
    );
    if (expiry === null) store.clearDeadline(TYPING_DEADLINE);
    else store.setDeadline(TYPING_DEADLINE, expiry);
    this.room.deps.setAlarm(store.earliestDeadline());
  }
}

function sendError(socket: RoomSocket, failure: Failure, replyTo: string | null): void {
  const { code, message } = failure.error;
  socket.send({ type: "error", code, message, retryable: ERROR_CODES[code].retryable, replyTo });
}
