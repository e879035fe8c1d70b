import { describe, expect, it } from "vitest";
import type { Person, SessionEvent, Usage } from "../../../protocol/events.ts";
import type { ServerMessage } from "../../../protocol/room.ts";
import { roomReducer, roomStateFrom, type RoomAction, type RoomState } from "./room-state.ts";
import { MAX_LIVE_OUTPUT_CHARS, type TextItem, type ToolItem } from "./turn-state.ts";

const ada: Person = { userId: "usr_ada", login: "ada", name: "Ada Lovelace", avatarUrl: null };
const start = () =>
  roomStateFrom({
    role: "owner",
    queue: { running: null, queued: [] },
    model: "claude-test",
    spendLimitUsd: null,
    usage: usage(0, 0),
  });
const run = (state: RoomState, ...actions: RoomAction[]) => actions.reduce(roomReducer, state);
const server = (message: ServerMessage): RoomAction => ({ type: "server", message });
const events = (list: SessionEvent[], replay = false) =>
  server({ type: "events", events: list, replay });
const delta = (text: string, step = 0, index = 0, messageId = "msg_1") =>
  server({ type: "agent.delta", messageId, step, index, text });
const toolOutput = (toolUseId: string, text: string) =>
  server({ type: "tool.output", messageId: "msg_1", toolUseId, text });

/** Builds events with increasing seq numbers, the way the room numbers them. */
function timeline() {
  let seq = 0;
  const make = <T extends SessionEvent["type"]>(
    type: T,
    data: Extract<SessionEvent, { type: T }>["data"],
  ) => ({ seq: ++seq, at: seq * 1_000, actor: null, type, data }) as SessionEvent;
  return {
    turnStarted: (extra: { rehearsal?: boolean; resumed?: boolean } = {}) =>
      make("agent.turn_started", {
        messageId: "msg_1",
        model: "claude-test",
        rehearsal: extra.rehearsal ?? false,
        resumed: extra.resumed ?? false,
      }),
    text: (text: string, step = 0, index = 0) =>
      make("agent.text", { messageId: "msg_1", step, index, text }),
    toolStarted: (toolUseId: string, input: unknown = { path: "src/a.ts" }) =>
      make("agent.tool_started", { messageId: "msg_1", toolUseId, name: "read_file", input }),
    toolFinished: (toolUseId: string, output = "contents") =>
      make("agent.tool_finished", {
        messageId: "msg_1",
        toolUseId,
        name: "read_file",
        status: "ok",
        durationMs: 12,
        output,
        truncated: false,
        annotations: [],
      }),
    retrying: (attempt = 1, step = 0) =>
      make("agent.retrying", {
        messageId: "msg_1",
        step,
        attempt,
        maxAttempts: 5,
        delayMs: 4_000,
        reason: "overloaded",
      }),
    usage: (turn: Usage, session: Usage, step = 0) =>
      make("agent.usage", {
        messageId: "msg_1",
        model: "claude-test",
        step,
        call: turn,
        turn,
        session,
      }),
    notice: (text: string, messageId: string | null = "msg_1") =>
      make("agent.notice", { messageId, level: "warning", text }),
    commit: () =>
      make("commit.created", {
        messageId: "msg_1",
        sha: "0123456789abcdef",
        branch: "tandem/ses_1",
        author: { name: "Tandem", email: "agent@tandem.test" },
        message: "Fix the flaky test\n\nDetails.",
        files: ["src/a.ts"],
      }),
    finished: (state: "done" | "stopped" | "failed" = "done") =>
      make("prompt.finished", { messageId: "msg_1", state, reason: null }),
  };
}

function usage(costUsd: number, inputTokens = 100): Usage {
  return { inputTokens, outputTokens: 10, cacheReadTokens: 0, cacheWriteTokens: 0, costUsd };
}

const turnOf = (state: RoomState) => state.agent.turns.msg_1!;
const texts = (state: RoomState) =>
  turnOf(state)
    .items.filter((item): item is TextItem => item.kind === "text")
    .map((item) => [item.text, item.state]);
const tool = (state: RoomState, key: string) =>
  turnOf(state).items.find((item): item is ToolItem => item.kind === "tool" && item.key === key)!;

describe("the agent's turn", () => {
  it("appends streamed deltas to their block until the final text replaces it whole", () => {
    const t = timeline();
    const streamed = run(start(), events([t.turnStarted()]), delta("Hel"), delta("lo, wor"));
    expect(texts(streamed)).toEqual([["Hello, wor", "streaming"]]);
    const final = run(streamed, events([t.text("Hello, world.")]));
    expect(texts(final)).toEqual([["Hello, world.", "final"]]);
  });

  it("ignores deltas for a block whose final text has arrived", () => {
    const t = timeline();
    const state = run(start(), events([t.turnStarted(), t.text("Done.")]), delta(" late"));
    expect(texts(state)).toEqual([["Done.", "final"]]);
  });

  it("keeps blocks and tool calls in the order they happened", () => {
    const t = timeline();
    const state = run(
      start(),
      events([t.turnStarted()]),
      delta("Let me look."),
      events([t.text("Let me look."), t.toolStarted("tu_1"), t.toolFinished("tu_1")]),
      delta("Found it.", 1, 0),
    );
    expect(turnOf(state).items.map((item) => `${item.kind}:${item.key}`)).toEqual([
      "text:0:0",
      "tool:tu_1",
      "text:1:0",
    ]);
  });

  it("builds the same turn from a replay as from the live stream", () => {
    const t = timeline();
    const list = [
      t.turnStarted({ rehearsal: true }),
      t.text("Reading.", 0, 0),
      t.usage(usage(0.01), usage(0.04), 0),
      t.toolStarted("tu_1"),
      t.toolFinished("tu_1"),
      t.retrying(1, 1),
      t.text("All good.", 1, 0),
      t.usage(usage(0.02), usage(0.05), 1),
      t.commit(),
      t.finished(),
    ];
    const live = run(
      start(),
      events(list.slice(0, 1)),
      delta("Read"),
      delta("ing."),
      events(list.slice(1, 4)),
      toolOutput("tu_1", "partial"),
      events(list.slice(4, 5)),
      delta("All", 1, 0),
      events(list.slice(5, 6)),
      delta("All", 1, 0),
      events(list.slice(6)),
    );
    const replayed = run(start(), events(list, true));
    expect(live.agent).toEqual(replayed.agent);
    expect(turnOf(replayed).rehearsal).toBe(true);
    expect(replayed.agent.rehearsal).toBe(true);
  });

  it("applies nothing twice when events are delivered again after a reconnect", () => {
    const t = timeline();
    const list = [t.turnStarted(), t.toolStarted("tu_1"), t.notice("Spend is close to the limit")];
    const first = run(start(), events(list));
    const again = run(
      first,
      { type: "socket.closed", fatal: false },
      { type: "socket.connecting" },
      events(list, true),
    );
    expect(turnOf(again).items.map((item) => item.kind)).toEqual(["tool", "notice"]);
  });

  it("shows a retry until the next streamed text, and drops all text of the retried call", () => {
    const t = timeline();
    const retrying = run(
      start(),
      events([
        t.turnStarted(),
        t.text("Kept.", 0, 0),
        t.usage(usage(0.01), usage(0.01), 0),
        t.text("Void though final.", 1, 0),
      ]),
      delta("half a sent", 1, 1),
      events([t.retrying(2, 1)]),
    );
    expect(texts(retrying)).toEqual([["Kept.", "final"]]);
    expect(turnOf(retrying).retry).toMatchObject({ attempt: 2, maxAttempts: 5, delayMs: 4_000 });
    const again = run(retrying, delta("Anew", 1, 0));
    expect(turnOf(again).retry).toBeNull();
    expect(texts(again)).toEqual([
      ["Kept.", "final"],
      ["Anew", "streaming"],
    ]);
  });

  it("clears a retry when a tool starts or the turn ends", () => {
    const t = timeline();
    const byTool = run(start(), events([t.turnStarted(), t.retrying(), t.toolStarted("tu_1")]));
    expect(turnOf(byTool).retry).toBeNull();
    const byEnd = run(start(), events([t.turnStarted(), t.retrying(), t.finished("failed")]));
    expect(turnOf(byEnd).retry).toBeNull();
    expect(turnOf(byEnd).ended).toBe(true);
  });

  it("streams a running tool's output until its finished event replaces it", () => {
    const t = timeline();
    const running = run(
      start(),
      events([t.turnStarted(), t.toolStarted("tu_1", { command: "npm test" })]),
      toolOutput("tu_1", "PASS a\n"),
      toolOutput("tu_1", "PASS b\n"),
      toolOutput("tu_unknown", "ignored"),
    );
    expect(tool(running, "tu_1")).toMatchObject({
      status: "running",
      liveOutput: "PASS a\nPASS b\n",
    });
    const done = run(
      running,
      events([t.toolFinished("tu_1", "2 passed")]),
      toolOutput("tu_1", "late"),
    );
    expect(tool(done, "tu_1")).toMatchObject({
      status: "ok",
      durationMs: 12,
      output: "2 passed",
      liveOutput: "",
      input: { command: "npm test" },
    });
  });

  it("keeps only the newest live output of a chatty tool", () => {
    const t = timeline();
    const chunk = "x".repeat(MAX_LIVE_OUTPUT_CHARS / 2 + 1);
    const state = run(
      start(),
      events([t.turnStarted(), t.toolStarted("tu_1")]),
      toolOutput("tu_1", chunk),
      toolOutput("tu_1", `${chunk}end`),
    );
    const live = tool(state, "tu_1").liveOutput;
    expect(live).toHaveLength(MAX_LIVE_OUTPUT_CHARS);
    expect(live.endsWith("end")).toBe(true);
  });

  it("tracks usage per turn and the session's running total", () => {
    const t = timeline();
    const state = run(
      start(),
      events([
        t.turnStarted(),
        t.usage(usage(0.01), usage(0.11)),
        t.usage(usage(0.03, 300), usage(0.13)),
      ]),
    );
    expect(turnOf(state).usage).toEqual(usage(0.03, 300));
    expect(state.agent.sessionUsage).toEqual(usage(0.13));
    const synthesis = server({
      type: "events",
      replay: false,
      events: [
        {
          seq: 10,
          at: 10_000,
          actor: null,
          type: "agent.fast_usage",
          data: {
            purpose: "synthesis",
            model: "claude-fast",
            call: usage(0.02),
            session: usage(0.15),
          },
        },
      ],
    });
    const after = run(state, synthesis);
    expect(after.agent.sessionUsage).toEqual(usage(0.15));
    expect(turnOf(after).usage).toEqual(usage(0.03, 300));
  });

  it("records commits and notices in the turn, and session-wide notices nowhere in a turn", () => {
    const t = timeline();
    const state = run(
      start(),
      events([
        t.turnStarted(),
        t.commit(),
        t.notice("Spend limit reached"),
        t.notice("Hi all", null),
      ]),
    );
    expect(turnOf(state).items).toEqual([
      expect.objectContaining({ kind: "commit", sha: "0123456789abcdef", files: ["src/a.ts"] }),
      expect.objectContaining({ kind: "notice", level: "warning", text: "Spend limit reached" }),
    ]);
  });

  it("anchors a turn at its first event, even when that is not the turn start", () => {
    const t = timeline();
    const notice = t.notice("No sandbox yet");
    const state = run(start(), events([notice, t.turnStarted()]));
    expect(turnOf(state).anchorSeq).toBe(notice.seq);
  });

  it("marks a resumed turn and drops the text of the model call it makes again", () => {
    const t = timeline();
    const state = run(
      start(),
      events([
        t.turnStarted(),
        t.text("Settled.", 0, 0),
        t.usage(usage(0.01), usage(0.01), 0),
        t.text("Unsettled.", 1, 0),
      ]),
      delta("half", 1, 1),
      events([t.turnStarted({ resumed: true })]),
      delta("whole", 1, 0),
    );
    expect(turnOf(state).items.map((item) => item.kind)).toEqual(["text", "resumed", "text"]);
    expect(texts(state)).toEqual([
      ["Settled.", "final"],
      ["whole", "streaming"],
    ]);
  });

  it("after a reconnect, replaces a block's text with the room's catch-up copy, then appends", () => {
    const t = timeline();
    const dropped = run(start(), events([t.turnStarted()]), delta("Hello"), {
      type: "socket.closed",
      fatal: false,
    });
    expect(texts(dropped)).toEqual([["Hello", "stale"]]);
    const back = run(
      dropped,
      { type: "socket.connecting" },
      server({ type: "subscribed", cursor: 1, lastSeq: 1 }),
      delta("Hello there, all"),
      delta(" words"),
    );
    expect(texts(back)).toEqual([["Hello there, all words", "streaming"]]);
  });

  it("after a reconnect, replaces a running tool's live output with the room's copy of its tail", () => {
    const t = timeline();
    const state = run(
      start(),
      events([t.turnStarted(), t.toolStarted("tu_1")]),
      toolOutput("tu_1", "line 1\n"),
      { type: "socket.closed", fatal: false },
      toolOutput("tu_1", "line 1\nline 2\n"),
      toolOutput("tu_1", "line 3\n"),
    );
    expect(tool(state, "tu_1").liveOutput).toBe("line 1\nline 2\nline 3\n");
  });

  it("builds the same turn after a reconnect mid-stream as a client that never dropped", () => {
    const t = timeline();
    const begin = [t.turnStarted()];
    const rest = [t.text("One two three.")];
    const steady = run(
      start(),
      events(begin),
      delta("One"),
      delta(" two"),
      delta(" three."),
      events(rest),
    );
    const dropped = run(
      start(),
      events(begin),
      delta("One"),
      { type: "socket.closed", fatal: false },
      delta("One two"),
      delta(" three."),
      events(rest),
    );
    expect(dropped.agent).toEqual(steady.agent);
  });

  it("ends a turn: keeps cut-off text, and calls never reported finished are interrupted", () => {
    const t = timeline();
    const state = run(
      start(),
      events([t.turnStarted(), t.toolStarted("tu_1")]),
      delta("partial answer", 1, 0),
      events([t.finished("stopped")]),
      delta(" more"),
    );
    expect(texts(state)).toEqual([["partial answer", "cut"]]);
    expect(tool(state, "tu_1").status).toBe("interrupted");
  });

  it("keeps the session's model settings as last changed", () => {
    const state = run(
      start(),
      events([
        {
          seq: 1,
          at: 1,
          actor: ada,
          type: "session.settings_changed",
          data: { model: "claude-big", spendLimitUsd: 5 },
        },
      ]),
    );
    expect(state.agent.settings).toEqual({ model: "claude-big", spendLimitUsd: 5 });
  });
});
