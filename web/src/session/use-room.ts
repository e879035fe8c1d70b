// The thin hook that owns a session's WebSocket: connect, subscribe from the cursor, ping, reconnect.
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import type { SessionView } from "../../../protocol/api.ts";
import {
  NOT_PARTICIPANT_CLOSE_CODE,
  REMOVED_CLOSE_CODE,
  removalOfCloseReason,
} from "../../../protocol/removal.ts";
import type { ClientMessage } from "../../../protocol/room.ts";
import { ApiError } from "../api/client.ts";
import { getSession } from "../api/sessions.ts";
import { newClientId } from "./client-id.ts";
import { reconnectDelayMs } from "./reconnect-delay.ts";
import { roomReducer, roomStateFrom, type RoomAction, type RoomState } from "./room-state.ts";
import { decodeServerFrame } from "./server-frames.ts";

/** How often an open socket sends a keepalive ping. */
export const PING_INTERVAL_MS = 25_000;
/** A socket that has said nothing for this long (a pong is due every ping) is taken for dead. */
export const SILENCE_LIMIT_MS = PING_INTERVAL_MS + 10_000;
/** Close codes with which the room refuses a socket for good (not a participant, left, removed). */
const FATAL_CLOSE_CODES = new Set([REMOVED_CLOSE_CODE, NOT_PARTICIPANT_CLOSE_CODE]);
/** After this many failed connects in a row, ask over HTTP whether the session is still ours. */
const ACCESS_CHECK_AFTER_FAILURES = 2;

/** Whether the person may still open the session; a refused upgrade shows the browser no status. */
async function stillAllowed(sessionId: string): Promise<boolean> {
  try {
    await getSession(sessionId);
    return true;
  } catch (error) {
    const refused = ["not_found", "forbidden", "unauthenticated"];
    return !(error instanceof ApiError && refused.includes(error.code));
  }
}

/** What the session screen can ask the room to do. */
export interface RoomCommands {
  sendPrompt(text: string): void;
  cancelPrompt(messageId: string): void;
  stop(): void;
  setTyping(typing: boolean): void;
  dismissToast(id: number): void;
}

function roomUrl(sessionId: string): string {
  const scheme = location.protocol === "https:" ? "wss:" : "ws:";
  return `${scheme}//${location.host}/api/sessions/${encodeURIComponent(sessionId)}/ws`;
}

/** The live room state of a session and the commands that act on it. */
export function useRoom(sessionId: string, view: SessionView): [RoomState, RoomCommands] {
  const [state, setState] = useState(() => roomStateFrom(view));
  // The socket callbacks need the state as of now (cursor, pending prompts), not as of the last render.
  const stateRef = useRef(state);
  const socketRef = useRef<WebSocket | null>(null);

  const dispatch = useCallback((action: RoomAction) => {
    stateRef.current = roomReducer(stateRef.current, action);
    setState(stateRef.current);
  }, []);

  const send = useCallback((message: ClientMessage): boolean => {
    const socket = socketRef.current;
    if (!socket || socket.readyState !== WebSocket.OPEN) return false;
    socket.send(JSON.stringify(message));
    return true;
  }, []);

  useEffect(() => {
    let disposed = false;
    let retryTimer: ReturnType<typeof setTimeout> | undefined;
    let pingTimer: ReturnType<typeof setInterval> | undefined;

    const connect = () => {
      dispatch({ type: "socket.connecting" });
      const socket = new WebSocket(roomUrl(sessionId));
      socketRef.current = socket;
      let heardAt = Date.now();
      socket.onopen = () => {
        heardAt = Date.now();
        pingTimer = setInterval(() => {
          // A network that dropped without a word never closes the socket: notice the silence.
          if (Date.now() - heardAt > SILENCE_LIMIT_MS) return drop(socket);
          send({ type: "ping" });
        }, PING_INTERVAL_MS);
      };
      socket.onmessage = (event) => {
        heardAt = Date.now();
        const message = decodeServerFrame(event.data);
        if (!message) return;
        dispatch({ type: "server", message });
        if (message.type === "hello") send({ type: "subscribe", cursor: stateRef.current.lastSeq });
        if (message.type === "subscribed") {
          // Prompts typed while offline (or unanswered when the socket dropped) go now; client ids make resends safe.
          for (const prompt of stateRef.current.pending) send({ type: "prompt", ...prompt });
        }
      };
      socket.onclose = (event) => closed(socket, event.code, event.reason);
    };

    /** Gives up on a socket at once (offline, or silent too long) and goes on as if it had closed. */
    const drop = (socket: WebSocket) => {
      socket.onclose = null;
      socket.onmessage = null;
      socket.close(4000, "unresponsive");
      closed(socket, 1006, "");
    };

    const closed = (socket: WebSocket, code: number, reason: string) => {
      clearInterval(pingTimer);
      if (socketRef.current === socket) socketRef.current = null;
      if (disposed) return;
      const fatal = FATAL_CLOSE_CODES.has(code);
      const removal = code === REMOVED_CLOSE_CODE ? removalOfCloseReason(reason) : undefined;
      dispatch({ type: "socket.closed", fatal, removal });
      if (fatal) return;
      const failures = stateRef.current.failures;
      const retry = () => {
        if (!disposed) retryTimer = setTimeout(connect, reconnectDelayMs(failures));
      };
      if (failures < ACCESS_CHECK_AFTER_FAILURES) return retry();
      void stillAllowed(sessionId).then((allowed) => {
        if (disposed) return;
        if (allowed) retry();
        else dispatch({ type: "socket.closed", fatal: true });
      });
    };

    const wentOffline = () => {
      const socket = socketRef.current;
      if (socket) drop(socket);
    };
    window.addEventListener("offline", wentOffline);

    connect();
    return () => {
      disposed = true;
      window.removeEventListener("offline", wentOffline);
      clearTimeout(retryTimer);
      clearInterval(pingTimer);
      socketRef.current?.close(1000, "leaving");
      socketRef.current = null;
    };
  }, [sessionId, dispatch, send]);

  const commands = useMemo<RoomCommands>(() => {
    const offline = () =>
      dispatch({
        type: "toast.added",
        code: "offline",
        message: "You are offline; try again once reconnected.",
      });
    const live = () => stateRef.current.status === "live";
    return {
      sendPrompt(text) {
        const clientId = newClientId();
        dispatch({ type: "prompt.composed", clientId, text });
        if (live()) send({ type: "prompt", clientId, text });
      },
      cancelPrompt(messageId) {
        if (!live() || !send({ type: "prompt.cancel", messageId })) offline();
      },
      stop() {
        if (!live() || !send({ type: "stop" })) offline();
      },
      setTyping(typing) {
        if (live()) send({ type: "typing", typing });
      },
      dismissToast(id) {
        dispatch({ type: "toast.dismissed", id });
      },
    };
  }, [dispatch, send]);

  return [state, commands];
}
