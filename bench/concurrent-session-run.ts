// One session of the concurrent-sessions benchmark: its scripted multi-tool turn, what its socket
// saw (every event, in order, with no gap in `seq`), and whether the turn finished correctly.
import type { ScriptInput } from "../test/model-stand-in/script.ts";
import type { SessionEvent } from "../protocol/events.ts";
import type { SessionSocket } from "./ws-client.ts";

/** The file each session's agent writes, runs `cat` on and reads back. */
export const NOTE_PATH = "bench-note.txt";

/** Why a session did not finish correctly: a short kind for the summary, and the details. */
export interface RunFailure {
  kind: string;
  detail: string;
}

/** The text session `index` writes, unique so that crossed outputs between sessions show. */
export const noteOf = (index: number) => `concurrent note ${index}\n`;

/** The model script of session `index`: write the note, `cat` it, read it, then end with a text. */
export function turnScript(index: number): ScriptInput {
  const tool = (id: string, name: string, input: Record<string, unknown>) => ({
    content: [{ type: "tool_use" as const, id: `toolu_c${index}_${id}`, name, input }],
  });
  return {
    responses: [
      tool("w", "write_file", { path: NOTE_PATH, content: noteOf(index) }),
      tool("r", "run_command", { command: `cat ${NOTE_PATH}` }),
      tool("f", "read_file", { path: NOTE_PATH }),
      { content: [{ type: "text", text: "Done." }] },
    ],
  };
}

/** The tools the turn calls, in order, and what each one's output must contain. */
function expectedTools(index: number): { name: string; output: string }[] {
  const note = noteOf(index).trimEnd();
  return [
    { name: "write_file", output: `to ${NOTE_PATH}` },
    { name: "run_command", output: note },
    { name: "read_file", output: `1\t${note}` },
  ];
}

/** A session's timeline as its socket received it, and the moments that matter. */
export class SessionRun {
  readonly index: number;
  sessionId: string | null = null;
  socket: SessionSocket | null = null;
  readonly events: SessionEvent[] = [];
  /** The first break in `seq` order the socket saw, or null. */
  gap: string | null = null;
  failure: RunFailure | null = null;
  sentAtMs = Number.NaN;
  /** Arrival of each `sandbox.status` (`starting`, `syncing`, `ready`, …), the first of each. */
  readonly sandboxAtMs = new Map<string, number>();
  finishedAtMs = Number.NaN;
  private lastSeq = 0;
  private resolveFinished: () => void = () => {};
  /** Settles when `prompt.finished` arrives or the socket closes. */
  readonly finished: Promise<void>;

  constructor(index: number) {
    this.index = index;
    this.finished = new Promise((resolve) => (this.resolveFinished = resolve));
  }

  /** Follows the socket from its `subscribe` (cursor 0) on. */
  attach(socket: SessionSocket): void {
    this.socket = socket;
    socket.onMessage((message, atMs) => {
      if (message.type !== "events") return;
      for (const event of message.events) this.receive(event, atMs);
    });
    socket.onClose((error) => {
      this.fail("socket closed", error.message);
      this.resolveFinished();
    });
  }

  private receive(event: SessionEvent, atMs: number): void {
    if (event.seq !== this.lastSeq + 1 && this.gap === null) {
      this.gap = `expected seq ${this.lastSeq + 1}, got ${event.seq} (${event.type})`;
    }
    this.lastSeq = Math.max(this.lastSeq, event.seq);
    this.events.push(event);
    if (event.type === "sandbox.status") {
      if (!this.sandboxAtMs.has(event.data.status)) this.sandboxAtMs.set(event.data.status, atMs);
    } else if (event.type === "prompt.finished") {
      this.finishedAtMs = atMs;
      this.resolveFinished();
    }
  }

  /** Records the first failure; later ones are consequences. */
  fail(kind: string, detail: string): void {
    this.failure ??= { kind, detail };
  }

  /** Checks the finished turn: `done`, each tool `ok` with its output, a commit, no gap. */
  check(): void {
    if (this.failure) return;
    const finished = this.events.find((e) => e.type === "prompt.finished");
    if (!finished) return this.fail("timed out waiting for prompt.finished", this.lastSeen());
    const sandboxFailed = this.events.find(
      (e) => e.type === "sandbox.status" && e.data.status === "failed",
    );
    if (sandboxFailed?.type === "sandbox.status") {
      return this.fail("sandbox failed", sandboxFailed.data.detail ?? "-");
    }
    if (finished.data.state !== "done") {
      return this.fail(
        `turn ${finished.data.state}`,
        `${finished.data.reason ?? "-"}; ${this.lastSeen()}`,
      );
    }
    const tools = this.events.flatMap((e) => (e.type === "agent.tool_finished" ? [e.data] : []));
    const expected = expectedTools(this.index);
    if (tools.length !== expected.length) {
      return this.fail("wrong tool calls", tools.map((t) => t.name).join(", "));
    }
    for (const [i, want] of expected.entries()) {
      const got = tools[i]!;
      if (got.name !== want.name || got.status !== "ok") {
        return this.fail("tool not ok", `${got.name} ${got.status}: ${got.output.slice(0, 200)}`);
      }
      if (!got.output.includes(want.output)) {
        return this.fail("tool output wrong", `${got.name}: ${got.output.slice(0, 200)}`);
      }
    }
    const commit = this.events.find((e) => e.type === "commit.created");
    if (!commit) return this.fail("no commit created", this.lastSeen());
    if (!commit.data.files.includes(NOTE_PATH)) {
      return this.fail("commit without the note", commit.data.files.join(", "));
    }
    if (this.gap) return this.fail("gap in seq", this.gap);
  }

  /** The last events seen (with a notice's text), for a failure's details. */
  private lastSeen(): string {
    const last = this.events.slice(-3).map((e) => {
      const what =
        e.type === "sandbox.status"
          ? ` ${e.data.status}`
          : e.type === "agent.notice"
            ? ` "${e.data.text.slice(0, 200)}"`
            : "";
      return `${e.seq} ${e.type}${what}`;
    });
    return `last events: ${last.join(", ") || "none"}`;
  }
}
