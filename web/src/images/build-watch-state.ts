// What a repository's build socket has told the page: the pool, live logs, and the last build that ended.
import { BuildSocketMessageSchema, type BuildSocketMessage } from "../../../protocol/registry.ts";
import type { BuildLogLine, PoolStatus } from "../api/repositories.ts";
import { linesByImage, mergeLogLines } from "./log-lines.ts";

/** The end of a build as the socket reported it. */
export interface FinishedBuild {
  imageId: string;
  ok: boolean;
  error: string | null;
}

/** The build watch state. */
export interface BuildWatchState {
  connection: "connecting" | "open" | "closed";
  /** The pool as last reported; null before the socket's first status. */
  pool: PoolStatus | null;
  /** When that report arrived (ms). */
  poolAt: number;
  /** Lines received live, per build. */
  logs: Readonly<Record<string, readonly BuildLogLine[]>>;
  /** The build whose log to show live: the running one, else the one seen last. */
  liveImageId: string | null;
  /** The last build that ended while watching. */
  finished: FinishedBuild | null;
  /** Counts ended builds, so the history knows to read again. */
  finishedCount: number;
}

/** What changes the state. */
export type BuildWatchAction =
  | { type: "connecting" }
  | { type: "open" }
  | { type: "closed" }
  | { type: "message"; message: BuildSocketMessage; at: number };

/** Nothing heard yet. */
export const initialBuildWatch: BuildWatchState = {
  connection: "connecting",
  pool: null,
  poolAt: 0,
  logs: {},
  liveImageId: null,
  finished: null,
  finishedCount: 0,
};

/** The next state. */
export function buildWatchReducer(
  state: BuildWatchState,
  action: BuildWatchAction,
): BuildWatchState {
  switch (action.type) {
    case "connecting":
      return { ...state, connection: "connecting" };
    case "open":
      return { ...state, connection: "open" };
    case "closed":
      return { ...state, connection: "closed" };
    case "message":
      return onMessage(state, action.message, action.at);
    default:
      return action satisfies never;
  }
}

function onMessage(
  state: BuildWatchState,
  message: BuildSocketMessage,
  at: number,
): BuildWatchState {
  switch (message.type) {
    case "status": {
      const building = message.status.building?.imageId ?? null;
      return {
        ...state,
        pool: message.status,
        poolAt: at,
        liveImageId: building ?? state.liveImageId,
      };
    }
    case "log": {
      if (message.lines.length === 0) return state;
      const logs = { ...state.logs };
      for (const [imageId, lines] of linesByImage(message.lines))
        logs[imageId] = mergeLogLines(logs[imageId] ?? [], lines);
      return { ...state, logs, liveImageId: state.liveImageId ?? message.lines[0]!.imageId };
    }
    case "finished":
      return {
        ...state,
        finished: { imageId: message.imageId, ok: message.ok, error: message.error },
        finishedCount: state.finishedCount + 1,
      };
    default:
      return message satisfies never;
  }
}

/** The message in a socket frame, or null for a frame this page does not understand. */
export function decodeBuildFrame(data: unknown): BuildSocketMessage | null {
  if (typeof data !== "string") return null;
  try {
    const parsed = BuildSocketMessageSchema.safeParse(JSON.parse(data));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}
