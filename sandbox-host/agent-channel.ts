// The host's end of the NDJSON channel to one in-sandbox agent: sends requests, routes replies by id.
import type { Readable, Writable } from "node:stream";
import { StringDecoder } from "node:string_decoder";
import { AgentReplySchema, type AgentReply, type AgentRequest } from "../protocol/sandbox-agent.ts";

/** What a command run through the agent did; output holds the kept head and tail. */
export type ExecOutcome = {
  exitCode: number | null;
  signal: string | null;
  timedOut: boolean;
  durationMs: number;
  stdout: Uint8Array;
  stderr: Uint8Array;
  stdoutBytes: number;
  stderrBytes: number;
  truncated: boolean;
};

/** A command to run in the sandbox. */
export type ExecRequest = {
  argv: string[];
  cwd?: string;
  env?: Record<string, string>;
  timeoutMs: number;
  maxOutputBytes: number;
  stdin?: Uint8Array;
};

/** A started command: its id (for `kill`) and how it ends. */
export type RunningExec = { id: string; done: Promise<ExecOutcome> };

/** Receives output chunks while a stream is under its cap. */
export type OutputListener = (stream: "stdout" | "stderr", bytes: Uint8Array) => void;

/** A file read through the agent. */
export type ReadResult =
  { found: false } | { found: true; data: Uint8Array; size: number; truncated: boolean };

/** A signal the agent can send to a command's process group. */
export type ExecSignal = Extract<AgentRequest, { op: "kill" }>["signal"];

/** The agent's process is gone: its stdout ended, so no reply will come. */
export class AgentGoneError extends Error {
  override readonly name = "AgentGoneError";
  readonly code = "agent_gone";
}

/** The agent refused a request; `code` is the agent's (`bad_cwd`, `is_directory`, …). */
export class AgentRequestError extends Error {
  override readonly name = "AgentRequestError";
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.code = code;
  }
}

/** The agent answered with a reply that does not fit the request. */
export class AgentProtocolError extends Error {
  override readonly name = "AgentProtocolError";
  readonly code = "agent_protocol";
}

type Pending = { onReply: (reply: AgentReply) => void; fail: (error: Error) => void };

/** The agent's pipes and where to report lines that are not valid replies. */
export type AgentChannelOptions = {
  stdin: Writable;
  stdout: Readable;
  log?: (message: string) => void;
};

/** Sends requests to one agent and resolves each call from the replies carrying its id. */
export class AgentChannel {
  readonly #stdin: Writable;
  readonly #log: (message: string) => void;
  readonly #pending = new Map<string, Pending>();
  #nextId = 0;
  #gone: AgentGoneError | undefined;

  constructor(options: AgentChannelOptions) {
    this.#stdin = options.stdin;
    this.#log = options.log ?? ((message) => console.warn(`agent-channel: ${message}`));
    const decoder = new StringDecoder("utf8");
    // A reply can be tens of megabytes: keep the pieces of an unfinished line and join them
    // once, so that a long line costs linear time.
    let pieces: string[] = [];
    options.stdout.on("data", (chunk: Buffer | string) => {
      const text = typeof chunk === "string" ? chunk : decoder.write(chunk);
      let start = 0;
      for (let end = text.indexOf("\n"); end >= 0; end = text.indexOf("\n", start)) {
        pieces.push(text.slice(start, end));
        const line = pieces.join("");
        pieces = [];
        start = end + 1;
        if (line.trim() !== "") this.#receive(line);
      }
      if (start < text.length) pieces.push(text.slice(start));
    });
    const gone = () => this.#goAway("the agent's output ended");
    options.stdout.on("end", gone);
    options.stdout.on("close", gone);
    options.stdout.on("error", (error) =>
      this.#goAway(`reading from the agent failed: ${error.message}`),
    );
    // A write to a dead agent fails with EPIPE; the stdout end reports it to the callers.
    this.#stdin.on("error", (error) => this.#log(`writing to the agent failed: ${error.message}`));
  }

  /** Starts a command; `done` settles with its outcome, `onOutput` sees chunks as they come. */
  exec(request: ExecRequest, onOutput?: OutputListener): RunningExec {
    const id = this.#newId();
    const done = new Promise<ExecOutcome>((resolve, reject) => {
      this.#send(
        {
          op: "exec",
          id,
          argv: request.argv,
          cwd: request.cwd,
          env: request.env,
          timeoutMs: request.timeoutMs,
          maxOutputBytes: request.maxOutputBytes,
          stdin: request.stdin && toBase64(request.stdin),
        } satisfies AgentRequest,
        {
          fail: reject,
          onReply: (reply) => {
            if (reply.type === "output") return this.#emit(onOutput, reply.stream, reply.data);
            this.#pending.delete(id);
            if (reply.type !== "exit") return reject(unexpected(reply));
            resolve({
              exitCode: reply.exitCode,
              signal: reply.signal,
              timedOut: reply.timedOut,
              durationMs: reply.durationMs,
              stdout: fromBase64(reply.stdout),
              stderr: fromBase64(reply.stderr),
              stdoutBytes: reply.stdoutBytes,
              stderrBytes: reply.stderrBytes,
              truncated: reply.truncated,
            });
          },
        },
      );
    });
    return { id, done };
  }

  /** Sends a signal to a running command's process group. */
  async kill(execId: string, signal: ExecSignal): Promise<void> {
    await this.#call({ op: "kill", id: this.#newId(), execId, signal }, "ok");
  }

  /** Reads up to `maxBytes` of a file; a missing file is `{ found: false }`, not an error. */
  async read(path: string, maxBytes: number): Promise<ReadResult> {
    const reply = await this.#call({ op: "read", id: this.#newId(), path, maxBytes }, "file");
    if (!reply.found) return { found: false };
    return {
      found: true,
      data: fromBase64(reply.data),
      size: reply.size,
      truncated: reply.truncated,
    };
  }

  /** Replaces a file atomically; `parents` creates missing directories. */
  async write(
    path: string,
    data: Uint8Array,
    options: { mode?: number; parents?: boolean } = {},
  ): Promise<void> {
    const { mode, parents } = options;
    await this.#call(
      { op: "write", id: this.#newId(), path, data: toBase64(data), mode, parents },
      "ok",
    );
  }

  /** Makes the agent relay its socket for `port` (see the expose request); repeating it is harmless. */
  async expose(port: number, greeting: string): Promise<void> {
    await this.#call({ op: "expose", id: this.#newId(), port, greeting }, "ok");
  }

  /** Resolves when the agent answers, proving it reads and writes. */
  async ping(): Promise<void> {
    await this.#call({ op: "ping", id: this.#newId() }, "pong");
  }

  /** Closes the agent's stdin, which makes it kill its commands and exit. */
  close(): void {
    this.#stdin.end();
  }

  #newId(): string {
    this.#nextId += 1;
    return `r${this.#nextId}`;
  }

  #call<T extends AgentReply["type"]>(
    request: AgentRequest,
    expected: T,
  ): Promise<Extract<AgentReply, { type: T }>> {
    return new Promise((resolve, reject) => {
      this.#send(request, {
        fail: reject,
        onReply: (reply) => {
          this.#pending.delete(request.id);
          if (reply.type !== expected) return reject(unexpected(reply));
          resolve(reply as Extract<AgentReply, { type: T }>);
        },
      });
    });
  }

  #send(request: AgentRequest, pending: Pending): void {
    if (this.#gone) return pending.fail(this.#gone);
    this.#pending.set(request.id, pending);
    this.#stdin.write(`${JSON.stringify(request)}\n`);
  }

  #receive(line: string): void {
    let json: unknown;
    try {
      json = JSON.parse(line);
    } catch {
      return this.#log(`ignored a line that is not JSON: ${line.slice(0, 200)}`);
    }
    const parsed = AgentReplySchema.safeParse(json);
    if (!parsed.success) return this.#log(`ignored an invalid reply: ${line.slice(0, 200)}`);
    const reply = parsed.data;
    const pending = reply.id === null ? undefined : this.#pending.get(reply.id);
    if (!pending) {
      const detail = reply.type === "error" ? `: ${reply.code}: ${reply.message}` : "";
      return this.#log(`ignored a ${reply.type} reply for no pending request${detail}`);
    }
    if (reply.type === "error") {
      this.#pending.delete(reply.id ?? "");
      return pending.fail(new AgentRequestError(reply.code, reply.message));
    }
    pending.onReply(reply);
  }

  #emit(onOutput: OutputListener | undefined, stream: "stdout" | "stderr", data: string): void {
    try {
      onOutput?.(stream, fromBase64(data));
    } catch (error) {
      // A throwing listener must not break the routing of every other reply.
      this.#log(
        `an output listener threw: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }

  #goAway(reason: string): void {
    this.#gone ??= new AgentGoneError(reason);
    const pending = [...this.#pending.values()];
    this.#pending.clear();
    for (const { fail } of pending) fail(this.#gone);
  }
}

function unexpected(reply: AgentReply): AgentProtocolError {
  return new AgentProtocolError(`the agent answered with an unexpected ${reply.type} reply`);
}

function toBase64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("base64");
}

function fromBase64(text: string): Uint8Array {
  return Buffer.from(text, "base64");
}
