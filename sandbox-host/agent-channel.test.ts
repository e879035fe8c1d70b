// The channel against the real Perl agent, spawned directly (no sandbox) in a temp directory.
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import {
  chmodSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { connect, createServer, type AddressInfo, type Server } from "node:net";
import { createInterface } from "node:readline";
import { PassThrough } from "node:stream";
import { fileURLToPath } from "node:url";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { AgentReplySchema, type AgentReply } from "../protocol/sandbox-agent.ts";
import { AgentChannel, AgentGoneError, AgentRequestError } from "./agent-channel.ts";

const AGENT_PATH = fileURLToPath(new URL("./agent/agent.pl", import.meta.url));
const LIMITS = { timeoutMs: 10_000, maxOutputBytes: 64 * 1024 };

let workDir: string;
const agents: ChildProcessWithoutNullStreams[] = [];

beforeEach(() => {
  workDir = realpathSync(mkdtempSync(join(tmpdir(), "agent-channel-")));
});

afterEach(() => {
  for (const agent of agents.splice(0)) if (agent.exitCode === null) agent.kill("SIGKILL");
  rmSync(workDir, { recursive: true, force: true });
});

function startAgent(env: Record<string, string> = {}) {
  const child = spawn("perl", [AGENT_PATH], { cwd: workDir, env: { ...process.env, ...env } });
  agents.push(child);
  const logs: string[] = [];
  const channel = new AgentChannel({
    stdin: child.stdin,
    stdout: child.stdout,
    log: (m) => logs.push(m),
  });
  return { child, channel, logs };
}

const text = (bytes: Uint8Array) => Buffer.from(bytes).toString("utf8");

/** Private (anonymous) resident memory of a process. */
function privateMemoryKiB(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  return Number(/RssAnon:\s+(\d+)/.exec(status)?.[1]);
}

/** Processes in a process group that have not exited (zombies count as gone). */
function livingMembers(pgid: number): number[] {
  const living: number[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, "utf8");
    } catch {
      continue;
    }
    const [state, , pgrp] = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    if (Number(pgrp) === pgid && state !== "Z" && state !== "X") living.push(Number(entry));
  }
  return living;
}

/** Starts a shell script whose first output line is its pid (= its process group) and `$!`. */
function startWithPids(channel: AgentChannel, script: string, timeoutMs = LIMITS.timeoutMs) {
  let firstLine: (pids: number[]) => void = () => {};
  const pids = new Promise<number[]>((resolve) => (firstLine = resolve));
  let seen = "";
  const exec = channel.exec({ ...LIMITS, timeoutMs, argv: ["sh", "-c", script] }, (_, bytes) => {
    seen += text(bytes);
    if (seen.includes("\n")) firstLine(seen.split("\n")[0]!.split(" ").map(Number));
  });
  return { ...exec, pids };
}

describe("exec", () => {
  it("streams output while the command runs and reports its exit code", async () => {
    const { channel } = startAgent();
    const streamed = { stdout: "", stderr: "" };
    const { done } = channel.exec(
      { ...LIMITS, argv: ["sh", "-c", "printf out; printf err >&2; exit 3"] },
      (stream, bytes) => (streamed[stream] += text(bytes)),
    );
    const outcome = await done;
    expect(outcome).toMatchObject({ exitCode: 3, signal: null, timedOut: false, truncated: false });
    expect(text(outcome.stdout)).toBe("out");
    expect(text(outcome.stderr)).toBe("err");
    expect([outcome.stdoutBytes, outcome.stderrBytes]).toEqual([3, 3]);
    expect(streamed).toEqual({ stdout: "out", stderr: "err" });
    expect(outcome.durationMs).toBeGreaterThan(0);
  });

  it("passes stdin bytes through and closes the command's stdin", async () => {
    const { channel } = startAgent();
    const input = Uint8Array.from({ length: 300_000 }, (_, i) => (i * 7) % 256);
    const outcome = await channel.exec({
      ...LIMITS,
      maxOutputBytes: 1_000_000,
      argv: ["cat"],
      stdin: input,
    }).done;
    expect(outcome.exitCode).toBe(0);
    expect(Buffer.from(outcome.stdout).equals(Buffer.from(input))).toBe(true);
  });

  it("gives a command without stdin /dev/null", async () => {
    const { channel } = startAgent();
    const outcome = await channel.exec({ ...LIMITS, argv: ["readlink", "/proc/self/fd/0"] }).done;
    expect(text(outcome.stdout).trim()).toBe("/dev/null");
  });

  it("runs in the agent's directory or the given one, with the request's env added to the agent's", async () => {
    const { channel } = startAgent({ TANDEM_AGENT_BASE: "from-agent" });
    await channel.write(join(workDir, "sub", "keep"), new Uint8Array(), { parents: true });
    const script = 'printf "%s %s %s" "$PWD" "$TANDEM_AGENT_BASE" "$EXTRA"';
    const here = await channel.exec({ ...LIMITS, argv: ["sh", "-c", script], env: { EXTRA: "x" } })
      .done;
    expect(text(here.stdout)).toBe(`${workDir} from-agent x`);
    const there = await channel.exec({ ...LIMITS, argv: ["pwd"], cwd: "sub" }).done;
    expect(text(there.stdout).trim()).toBe(join(workDir, "sub"));
  });

  it("refuses a working directory that does not exist with bad_cwd", async () => {
    const { channel } = startAgent();
    const outcome = channel.exec({ ...LIMITS, argv: ["true"], cwd: "/no/such/dir" }).done;
    await expect(outcome).rejects.toMatchObject({ name: "AgentRequestError", code: "bad_cwd" });
  });

  it("reports a program that cannot be started as exit 127 with the reason on stderr", async () => {
    const { channel } = startAgent();
    const outcome = await channel.exec({ ...LIMITS, argv: ["no-such-program-xyz", "arg"] }).done;
    expect(outcome.exitCode).toBe(127);
    expect(text(outcome.stderr)).toMatch(/no-such-program-xyz: No such file or directory/);
  });

  it("keeps the head and tail of output over the cap, streams only the cap and counts every byte", async () => {
    const { channel } = startAgent();
    let streamed = "";
    const script = "printf HEAD; head -c 100000 /dev/zero | tr '\\0' x; printf TAIL";
    const outcome = await channel.exec(
      { ...LIMITS, maxOutputBytes: 1000, argv: ["sh", "-c", script] },
      (_, bytes) => (streamed += text(bytes)),
    ).done;
    expect(outcome.stdoutBytes).toBe(100_008);
    expect(outcome.truncated).toBe(true);
    const half = "x".repeat(496);
    expect(text(outcome.stdout)).toBe(`HEAD${half}\n…[99008 bytes omitted]…\n${half}TAIL`);
    expect(streamed).toBe(`HEAD${"x".repeat(996)}`);
  });

  it("kills the whole process group when the timeout runs out", async () => {
    const { channel } = startAgent();
    const started = Date.now();
    const { done, pids } = startWithPids(channel, "sleep 30 & echo $$ $!; sleep 30", 300);
    const outcome = await done;
    expect(outcome).toMatchObject({ timedOut: true, signal: "KILL", exitCode: null });
    expect(Date.now() - started).toBeLessThan(3000);
    const [pgid, background] = await pids;
    await vi.waitFor(() => expect(livingMembers(pgid!)).toEqual([]), { timeout: 2000 });
    expect(livingMembers(pgid!)).not.toContain(background);
  });

  it("ends a command promptly when a background child it left behind still holds its output", async () => {
    const { channel } = startAgent();
    const started = Date.now();
    const { done, pids } = startWithPids(channel, "sleep 30 & echo $$ $!; echo bye");
    const outcome = await done;
    expect(outcome).toMatchObject({ exitCode: 0, timedOut: false });
    expect(text(outcome.stdout)).toMatch(/bye\n$/);
    expect(Date.now() - started).toBeLessThan(3000);
    const [pgid] = await pids;
    await vi.waitFor(() => expect(livingMembers(pgid!)).toEqual([]), { timeout: 2000 });
  });

  it("signals a running command's process group on kill", async () => {
    const { channel } = startAgent();
    const { id, done, pids } = startWithPids(channel, "sleep 30 & echo $$ $!; wait");
    const [pgid] = await pids;
    await channel.kill(id, "TERM");
    expect(await done).toMatchObject({ signal: "TERM", exitCode: null, timedOut: false });
    await vi.waitFor(() => expect(livingMembers(pgid!)).toEqual([]), { timeout: 2000 });
  });

  it("rejects a kill for a command that is not running with unknown_exec", async () => {
    const { channel } = startAgent();
    await expect(channel.kill("r999", "KILL")).rejects.toMatchObject({ code: "unknown_exec" });
  });

  it("runs several commands at the same time", async () => {
    const { channel } = startAgent();
    const started = Date.now();
    const runs = [1, 2, 3, 4].map(
      (n) => channel.exec({ ...LIMITS, argv: ["sh", "-c", `sleep 0.5; echo ${n}`] }).done,
    );
    const outcomes = await Promise.all(runs);
    expect(outcomes.map((o) => text(o.stdout))).toEqual(["1\n", "2\n", "3\n", "4\n"]);
    expect(Date.now() - started).toBeLessThan(1500);
  });

  it("passes arguments with quotes, backslashes, control characters and emoji unchanged", async () => {
    const { channel } = startAgent();
    const argument = 'a "quoted" \\ back\tslash\u0001 ünïcødé 🎉\n';
    const outcome = await channel.exec({ ...LIMITS, argv: ["printf", "%s", argument] }).done;
    expect(text(outcome.stdout)).toBe(argument);
  });
});

describe("read and write", () => {
  it("round-trips every byte value through a write with parents and a read", async () => {
    const { channel } = startAgent();
    const bytes = Uint8Array.from({ length: 1024 }, (_, i) => i % 256);
    const path = join(workDir, "a", "b", "blob.bin");
    await channel.write(path, bytes, { parents: true, mode: 0o640 });
    expect(statSync(path).mode & 0o777).toBe(0o640);
    const whole = await channel.read(path, 4096);
    expect(whole).toEqual({ found: true, data: Buffer.from(bytes), size: 1024, truncated: false });
    const part = await channel.read(path, 10);
    expect(part).toEqual({
      found: true,
      data: Buffer.from(bytes.slice(0, 10)),
      size: 1024,
      truncated: true,
    });
    expect(readdirSync(join(workDir, "a", "b"))).toEqual(["blob.bin"]);
  });

  it("keeps an existing file's mode when replacing it without one", async () => {
    const { channel } = startAgent();
    const path = join(workDir, "script.sh");
    writeFileSync(path, "old");
    chmodSync(path, 0o755);
    await channel.write(path, Buffer.from("new"));
    expect(readFileSync(path, "utf8")).toBe("new");
    expect(statSync(path).mode & 0o777).toBe(0o755);
  });

  it("writes and reads paths with non-ASCII characters", async () => {
    const { channel } = startAgent();
    const path = join(workDir, 'ünï "cødé" 🎉.txt');
    await channel.write(path, Buffer.from("hi"));
    expect(readFileSync(path, "utf8")).toBe("hi");
    expect(await channel.read(path, 10)).toMatchObject({ found: true, size: 2 });
  });

  it("reports a missing file as not found", async () => {
    const { channel } = startAgent();
    expect(await channel.read(join(workDir, "missing.txt"), 10)).toEqual({ found: false });
  });

  it("refuses to read a directory with is_directory", async () => {
    const { channel } = startAgent();
    const error = await channel.read(workDir, 10).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AgentRequestError);
    expect(error).toMatchObject({ code: "is_directory" });
  });

  it("refuses to write into a missing directory unless asked to create it", async () => {
    const { channel } = startAgent();
    const path = join(workDir, "missing", "file.txt");
    await expect(channel.write(path, Buffer.from("x"))).rejects.toMatchObject({
      code: "not_found",
    });
    await expect(channel.write(workDir, Buffer.from("x"))).rejects.toMatchObject({
      code: "is_directory",
    });
  });
});

/** A TCP server on a loopback address that upper-cases what it reads and ends when its client does. */
async function startUpperCaseServer(host = "127.0.0.1"): Promise<{ server: Server; port: number }> {
  const server = createServer((socket) => {
    socket.on("data", (chunk: Buffer) =>
      socket.write(chunk.toString("latin1").toUpperCase(), "latin1"),
    );
    socket.on("end", () => socket.end());
    socket.on("error", () => socket.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  return { server, port: (server.address() as AddressInfo).port };
}

/** Connects to a relay socket, sends `input`, half-closes, and collects everything until the end. */
function throughRelay(path: string, input: Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const socket = connect(path, () => socket.end(input));
    socket.on("data", (chunk: Buffer) => chunks.push(chunk));
    socket.on("end", () => resolve(Buffer.concat(chunks)));
    socket.on("error", reject);
  });
}

describe("expose", () => {
  const servers: Server[] = [];
  afterEach(() => {
    for (const server of servers.splice(0)) server.close();
  });

  function startRelayingAgent() {
    const portsDir = join(workDir, "ports");
    return { ...startAgent({ TANDEM_AGENT_PORTS_DIR: portsDir }), portsDir };
  }

  it("relays each connection to the loopback port after its greeting, both ways, passing ends on", async () => {
    const { channel, portsDir } = startRelayingAgent();
    const { server, port } = await startUpperCaseServer();
    servers.push(server);
    await channel.expose(port, "HELLO");
    const socket = join(portsDir, `${port}.sock`);
    expect(statSync(socket).isSocket()).toBe(true);
    expect((await throughRelay(socket, Buffer.from("ping"))).toString()).toBe("HELLOPING");
    expect((await throughRelay(socket, Buffer.from("again"))).toString()).toBe("HELLOAGAIN");
  });

  it("reaches servers that listen on ::1 only", async () => {
    const { channel, portsDir } = startRelayingAgent();
    const { server, port } = await startUpperCaseServer("::1");
    servers.push(server);
    await channel.expose(port, "HI");
    expect(
      (await throughRelay(join(portsDir, `${port}.sock`), Buffer.from("six"))).toString(),
    ).toBe("HISIX");
  });

  it("closes a connection without the greeting when nothing listens on the port", async () => {
    const { channel, portsDir } = startRelayingAgent();
    const { server, port } = await startUpperCaseServer();
    await new Promise((resolve) => server.close(resolve));
    await channel.expose(port, "HELLO");
    // Like the host, send nothing and wait for the greeting.
    const received = await new Promise<number>((resolve) => {
      let bytes = 0;
      const socket = connect(join(portsDir, `${port}.sock`));
      socket.on("data", (chunk: Buffer) => (bytes += chunk.length));
      socket.on("error", () => {});
      socket.on("close", () => resolve(bytes));
    });
    expect(received).toBe(0);
    await channel.ping();
  });

  it("exposes a port again without error, recreating a removed socket, and refuses bad ports", async () => {
    const { channel, portsDir } = startRelayingAgent();
    const { server, port } = await startUpperCaseServer();
    servers.push(server);
    const socket = join(portsDir, `${port}.sock`);
    await channel.expose(port, "A");
    await channel.expose(port, "B");
    expect((await throughRelay(socket, Buffer.from("b"))).toString()).toBe("BB");
    rmSync(socket);
    await channel.expose(port, "C");
    expect((await throughRelay(socket, Buffer.from("c"))).toString()).toBe("CC");
    for (const bad of [0, 65_536, 1.5])
      await expect(channel.expose(bad, "A")).rejects.toMatchObject({ code: "bad_request" });
    await expect(channel.expose(port, "caf\u00e9")).rejects.toMatchObject({ code: "bad_request" });
    expect(existsSync(join(portsDir, "0.sock"))).toBe(false);
  });

  it("relays megabytes both ways and gives the memory back", async () => {
    const { child, channel, portsDir } = startRelayingAgent();
    const { server, port } = await startUpperCaseServer();
    servers.push(server);
    await channel.expose(port, "G");
    const input = Buffer.alloc(8 * 1024 * 1024, "abcdefghij");
    const relays = [1, 2, 3].map(() => throughRelay(join(portsDir, `${port}.sock`), input));
    for (const output of await Promise.all(relays)) {
      expect(output.length).toBe(input.length + 1);
      expect(
        output.subarray(1).equals(Buffer.from(input.toString("latin1").toUpperCase(), "latin1")),
      ).toBe(true);
    }
    await channel.ping();
    expect(privateMemoryKiB(child.pid!)).toBeLessThan(4 * 1024);
  });
});

describe("the agent process", () => {
  it("answers unreadable and invalid lines with bad_request errors and keeps working", async () => {
    const { child } = startAgent();
    const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
    child.stdin.write(
      [
        "not json",
        '{"op":"launch","id":"x1"}',
        '{"op":"exec","id":"x2","argv":[],"timeoutMs":1,"maxOutputBytes":1}',
        '{"op":"read","id":"x3","path":"f","maxBytes":"10"}',
        "[1,2]",
        '{"op":"ping","id":"p"}',
      ].join("\n") + "\n",
    );
    const replies: AgentReply[] = [];
    for (let i = 0; i < 6; i++)
      replies.push(AgentReplySchema.parse(JSON.parse((await lines.next()).value)));
    expect(replies.map((r) => (r.type === "error" ? [r.id, r.code] : [r.id, r.type]))).toEqual([
      [null, "bad_request"],
      ["x1", "bad_request"],
      ["x2", "bad_request"],
      ["x3", "bad_request"],
      [null, "bad_request"],
      ["p", "pong"],
    ]);
  });

  it("kills its commands and exits when its stdin closes, failing pending calls", async () => {
    const { child, channel } = startAgent();
    const exited = new Promise<number | null>((resolve) => child.on("exit", resolve));
    const { done, pids } = startWithPids(channel, "sleep 30 & echo $$ $!; sleep 30");
    const [pgid] = await pids;
    const failure = done.catch((error: unknown) => error);
    channel.close();
    expect(await exited).toBe(0);
    expect(await failure).toBeInstanceOf(AgentGoneError);
    await vi.waitFor(() => expect(livingMembers(pgid!)).toEqual([]), { timeout: 2000 });
    await expect(channel.ping()).rejects.toBeInstanceOf(AgentGoneError);
  });

  it("uses little memory while idle", async () => {
    const { child, channel } = startAgent();
    await channel.ping();
    expect(privateMemoryKiB(child.pid!)).toBeLessThan(4 * 1024);
  });

  it("gives back the memory of large writes, reads and command output", async () => {
    const { child, channel } = startAgent();
    const bytes = Buffer.alloc(8 * 1024 * 1024, "0123456789abcdef\u00e9\u0000");
    await channel.write(join(workDir, "big.bin"), bytes);
    await channel.read(join(workDir, "big.bin"), bytes.length);
    const limits = { timeoutMs: 20_000, maxOutputBytes: bytes.length };
    const echoed = await channel.exec({ ...limits, argv: ["cat"], stdin: bytes }).done;
    expect(echoed.stdoutBytes).toBe(bytes.length);
    await channel.ping();
    expect(privateMemoryKiB(child.pid!)).toBeLessThan(4 * 1024);
  });

  it("keeps its allocator setting out of the commands' environment", async () => {
    const { channel } = startAgent();
    const outcome = await channel.exec({ ...LIMITS, argv: ["env"] }).done;
    expect(text(outcome.stdout)).not.toContain("MALLOC_MMAP_THRESHOLD_");
  });
});

describe("AgentChannel", () => {
  it("logs and skips reply lines that are not valid replies", async () => {
    const stdin = new PassThrough();
    const stdout = new PassThrough();
    const logs: string[] = [];
    const channel = new AgentChannel({ stdin, stdout, log: (m) => logs.push(m) });
    const pong = channel.ping();
    const request = JSON.parse(String(stdin.read())) as { id: string };
    stdout.write('garbage\n{"type":"pong"}\n{"type":"ok","id":"nobody"}\n');
    stdout.write(`${JSON.stringify({ type: "pong", id: request.id })}\n`);
    await pong;
    expect(logs).toHaveLength(3);
  });

  it("rejects every pending call when the agent's output ends", async () => {
    const stdout = new PassThrough();
    const channel = new AgentChannel({ stdin: new PassThrough(), stdout, log: () => {} });
    const calls = [channel.ping(), channel.exec({ ...LIMITS, argv: ["true"] }).done];
    stdout.end();
    const results = await Promise.allSettled(calls);
    for (const result of results) {
      expect(result).toMatchObject({ status: "rejected", reason: expect.any(AgentGoneError) });
    }
  });
});
