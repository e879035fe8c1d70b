import { describe, expect, it } from "vitest";
import type { BuildLogLine, PoolStatus } from "../api/repositories.ts";
import { buildWatchReducer, decodeBuildFrame, initialBuildWatch } from "./build-watch-state.ts";

const pool = (over: Partial<PoolStatus> = {}): PoolStatus => ({
  repo: "acme/web",
  currentImageId: "img_old",
  building: null,
  warm: 1,
  ...over,
});
const line = (seq: number, imageId = "img_new"): BuildLogLine => ({
  seq,
  imageId,
  step: "setup",
  stream: "stdout",
  text: `line ${seq}`,
  at: seq,
});

describe("buildWatchReducer", () => {
  it("follows the running build's log from the status and the log so far", () => {
    let state = buildWatchReducer(initialBuildWatch, { type: "open" });
    state = buildWatchReducer(state, {
      type: "message",
      message: {
        type: "status",
        status: pool({ building: { imageId: "img_new", commit: "abc", startedAt: 1 } }),
      },
      at: 10,
    });
    state = buildWatchReducer(state, {
      type: "message",
      message: { type: "log", lines: [line(1), line(2)] },
      at: 11,
    });
    state = buildWatchReducer(state, {
      type: "message",
      message: { type: "log", lines: [line(2), line(3)] },
      at: 12,
    });
    expect(state.connection).toBe("open");
    expect(state.liveImageId).toBe("img_new");
    expect(state.poolAt).toBe(10);
    expect(state.logs["img_new"]!.map((l) => l.seq)).toEqual([1, 2, 3]);
  });

  it("records the end of a build and keeps its log shown after the pool goes idle", () => {
    let state = buildWatchReducer(initialBuildWatch, {
      type: "message",
      message: { type: "log", lines: [line(1)] },
      at: 1,
    });
    state = buildWatchReducer(state, {
      type: "message",
      message: { type: "finished", imageId: "img_new", ok: false, error: "compile failed" },
      at: 2,
    });
    state = buildWatchReducer(state, {
      type: "message",
      message: { type: "status", status: pool() },
      at: 3,
    });
    expect(state.finished).toEqual({ imageId: "img_new", ok: false, error: "compile failed" });
    expect(state.finishedCount).toBe(1);
    expect(state.liveImageId).toBe("img_new");
    expect(state.pool?.building).toBeNull();
  });

  it("notes when the socket drops and reconnects", () => {
    const closed = buildWatchReducer(initialBuildWatch, { type: "closed" });
    expect(closed.connection).toBe("closed");
    expect(buildWatchReducer(closed, { type: "connecting" }).connection).toBe("connecting");
  });
});

describe("decodeBuildFrame", () => {
  it("reads the socket's messages and ignores anything else", () => {
    expect(decodeBuildFrame(JSON.stringify({ type: "status", status: pool() }))).toEqual({
      type: "status",
      status: pool(),
    });
    expect(decodeBuildFrame("not json")).toBeNull();
    expect(decodeBuildFrame(JSON.stringify({ type: "mystery" }))).toBeNull();
    expect(decodeBuildFrame(new ArrayBuffer(2))).toBeNull();
  });
});
