// The thin hook that owns a repository's build socket: connect, decode, reconnect with backoff.
import { useEffect, useReducer } from "react";
import { buildSocketUrl } from "../api/repositories.ts";
import { reconnectDelayMs } from "../session/reconnect-delay.ts";
import {
  buildWatchReducer,
  decodeBuildFrame,
  initialBuildWatch,
  type BuildWatchState,
} from "./build-watch-state.ts";

/** What the build socket of `repo` has said so far. */
export function useBuildWatch(repo: string): BuildWatchState {
  const [state, dispatch] = useReducer(buildWatchReducer, initialBuildWatch);

  useEffect(() => {
    let disposed = false;
    let failures = 0;
    let retryTimer: ReturnType<typeof setTimeout> | undefined;
    let socket: WebSocket | null = null;

    const connect = () => {
      dispatch({ type: "connecting" });
      socket = new WebSocket(buildSocketUrl(repo));
      socket.onopen = () => {
        failures = 0;
        dispatch({ type: "open" });
      };
      socket.onmessage = (event) => {
        const message = decodeBuildFrame(event.data);
        if (message) dispatch({ type: "message", message, at: Date.now() });
      };
      socket.onclose = () => {
        if (disposed) return;
        dispatch({ type: "closed" });
        failures++;
        retryTimer = setTimeout(connect, reconnectDelayMs(failures));
      };
    };
    connect();
    return () => {
      disposed = true;
      clearTimeout(retryTimer);
      socket?.close(1000, "leaving");
    };
  }, [repo]);

  return state;
}
