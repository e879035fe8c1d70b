// A working fake of the platform's container API (ctx.container), for tests without a Docker
// engine. Each start runs the image's entrypoint in fresh namespaces (bubblewrap, as root): its own
// filesystem root in a temporary folder (the host's /usr read-only as the base toolchain, an empty
// /workspace), its own process ids and its own network with nothing but loopback. Like the
// platform: start() returns at once and the container boots meanwhile; getTcpPort(n).fetch() fails
// until something listens on port n inside; destroy() kills everything in it; monitor() settles
// when it exits (rejecting on a non-zero status); WebSocket upgrades pass through fetch().
//
// Two stand-ins: the image is a description (entrypoint, environment, host folders bound read-only
// at the same path), and the internet a container may reach when started with enableInternet is a
// list of host folders (test repositories live there) bound at the same path.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { lstatSync, mkdtempSync, readlinkSync, rmSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import { request as httpRequest, type IncomingMessage } from "node:http";
import { connect, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { Readable, type Duplex } from "node:stream";
import { fileURLToPath } from "node:url";
import { writeEtcFiles } from "../../sandbox-host/isolation/bwrap.ts";
import type { ContainerRuntime } from "../../durable-objects/sandbox-container/container-gate.ts";

/** What the fake runs, standing in for a built image. */
export interface FakeImage {
  entrypoint: string[];
  env: Record<string, string>;
  /** Host folders visible read-only at the same path (the image's own files). */
  readOnly: string[];
  /** The uid that gets a passwd entry (the image's sandbox user). */
  sandboxUid: number;
}

const INIT = fileURLToPath(new URL("./fake-container-init.ts", import.meta.url));
const RUNTIME_DIR = "/.fake-runtime";
const ETC_FROM_HOST = [
  "/etc/alternatives",
  "/etc/ssl",
  "/etc/ca-certificates",
  "/etc/localtime",
  "/etc/nsswitch.conf",
  "/etc/perl",
];

/** Roots of containers still running; a test process that exits takes them with it. */
const liveRoots = new Set<string>();
process.once("exit", () => {
  for (const root of liveRoots) rmSync(root, { recursive: true, force: true });
});

/** Why the fake cannot run here, or null when it can. */
export function fakeContainersUnavailable(): string | null {
  if (process.getuid?.() !== 0) return "the fake container runtime needs root";
  for (const tool of ["bwrap", "zstd", "tar", "git", "perl", "setpriv", "prlimit"]) {
    if (spawnSync("sh", ["-c", `command -v ${tool}`]).status !== 0)
      return `${tool} is not installed`;
  }
  return null;
}

/** The answer to a WebSocket upgrade: status 101, and where the platform's Response carries a
 * `webSocket`, the fake carries the raw upgraded connection (the port route stand-in relays it). */
export class UpgradeResponse extends Response {
  readonly upgradeHead: string[];
  readonly socket: Duplex;
  constructor(rawHeaders: string[], socket: Duplex) {
    super(null, { status: 200 });
    this.upgradeHead = rawHeaders;
    this.socket = socket;
  }
  override get status(): number {
    return 101;
  }
}

/** One start of the container, until it exits. */
interface Run {
  root: string;
  child: ChildProcess | null;
  ended: boolean;
  exited: Promise<void>;
  end: (code: number | null, signal: string | null) => void;
}

/** One container of a Durable Object, faked. */
export class FakeContainer implements ContainerRuntime {
  private readonly image: FakeImage;
  private readonly internet: string[];
  private current: Run | null = null;
  /** The options of every start, for tests to check (internet, instance). */
  readonly starts: ContainerStartupOptions[] = [];

  constructor(options: { image: FakeImage; internet?: string[] }) {
    this.image = options.image;
    this.internet = options.internet ?? [];
  }

  get running(): boolean {
    return this.current !== null;
  }

  start(options: ContainerStartupOptions = {}): void {
    if (this.current) throw new Error("start() cannot be called on a running container.");
    this.starts.push(options);
    const root = mkdtempSync(join(tmpdir(), "tandem-fake-container-"));
    liveRoots.add(root);
    let settle: { resolve: () => void; reject: (error: Error) => void } | undefined;
    const run: Run = {
      root,
      child: null,
      ended: false,
      exited: new Promise<void>((resolve, reject) => (settle = { resolve, reject })),
      end: (code, signal) => {
        if (run.ended) return;
        run.ended = true;
        if (this.current === run) this.current = null;
        liveRoots.delete(root);
        rmSync(root, { recursive: true, force: true, maxRetries: 3 });
        if (code === 0) settle!.resolve();
        else
          settle!.reject(
            new Error(`Container exited with unexpected exit code: ${code ?? signal}`),
          );
      },
    };
    // A container nobody monitors must not report an unhandled rejection.
    run.exited.catch(() => {});
    this.current = run;
    void this.launch(run, options).catch(() => run.end(1, null));
  }

  monitor(): Promise<void> {
    if (!this.current) return Promise.reject(new Error("The container is not running."));
    return this.current.exited;
  }

  async destroy(): Promise<void> {
    const run = this.current;
    if (!run) return;
    if (run.child) run.child.kill("SIGKILL");
    else run.end(null, "SIGKILL");
    await run.exited.catch(() => {});
  }

  signal(signo: number): void {
    if (!this.current) return;
    const socket = connect(join(this.current.root, "runtime", "init.sock"));
    socket.on("error", () => {});
    socket.end(`signal ${signo}\n`);
  }

  getTcpPort(port: number): {
    fetch(input: RequestInfo | URL, init?: RequestInit): Promise<Response>;
  } {
    return {
      fetch: async (input, init) => {
        const request = new Request(input, init);
        const run = this.current;
        if (!run) throw new Error("The container is not running.");
        const socket = await this.openPort(join(run.root, "runtime", "init.sock"), port);
        return forward(socket, request);
      },
    };
  }

  /** Lays out the container's root, then boots it: the platform's start is asynchronous too. */
  private async launch(run: Run, options: ContainerStartupOptions): Promise<void> {
    for (const dir of ["workspace", "run", "state", "etc", "runtime"])
      await mkdir(join(run.root, dir), { mode: 0o755 });
    await writeEtcFiles(join(run.root, "etc"), {
      uid: this.image.sandboxUid,
      gid: this.image.sandboxUid,
      hostname: "container",
    });
    if (run.ended) return;
    const child = spawn("bwrap", this.bwrapArgs(run.root, options), {
      stdio: ["ignore", "pipe", "pipe"],
    });
    const echo = (chunk: Buffer) => {
      if (process.env.TANDEM_FAKE_CONTAINER_LOG) process.stderr.write(chunk);
    };
    child.stdout!.on("data", echo);
    child.stderr!.on("data", echo);
    run.child = child;
    child.on("exit", (code, signal) => run.end(code, signal));
  }

  private bwrapArgs(root: string, options: ContainerStartupOptions): string[] {
    const made = new Set<string>();
    const binds: string[] = [];
    const args = [
      "--unshare-pid",
      "--unshare-net",
      "--unshare-ipc",
      "--unshare-uts",
      "--hostname",
      "container",
      "--die-with-parent",
      "--new-session",
      "--clearenv",
      "--ro-bind",
      "/usr",
      "/usr",
    ];
    for (const path of ["/bin", "/sbin", "/lib", "/lib64", "/lib32", "/libx32"]) {
      const info = lstatSync(path, { throwIfNoEntry: false });
      if (info?.isSymbolicLink()) args.push("--symlink", readlinkSync(path), path);
      else if (info?.isDirectory()) args.push("--ro-bind", path, path);
    }
    args.push("--perms", "0755", "--dir", "/etc");
    for (const path of ETC_FROM_HOST) args.push("--ro-bind-try", path, path);
    for (const name of ["passwd", "group", "hosts"])
      args.push("--ro-bind", join(root, "etc", name), `/etc/${name}`);
    args.push("--proc", "/proc", "--dev", "/dev");
    args.push("--bind", join(root, "workspace"), "/workspace");
    args.push("--bind", join(root, "run"), "/run");
    args.push("--bind", join(root, "state"), "/var/lib/tandem");
    args.push("--bind", join(root, "runtime"), RUNTIME_DIR);
    // The fake's own init runs on the test's node, whatever the image holds.
    for (const path of [process.execPath, INIT, ...this.image.readOnly]) {
      // Folders bwrap makes on the way are root's alone unless told otherwise.
      for (let dir = dirname(path); dir !== "/"; dir = dirname(dir)) made.add(dir);
      binds.push("--ro-bind", path, path);
    }
    // A fresh /tmp first, so the binds below still show when the checkout itself lives under /tmp.
    if (!options.enableInternet) args.push("--tmpfs", "/tmp");
    for (const dir of [...made].sort()) args.push("--perms", "0755", "--dir", dir);
    args.push(...binds);
    if (options.enableInternet) for (const path of this.internet) args.push("--bind", path, path);
    const env = { PATH: "/usr/local/bin:/usr/bin:/bin", ...this.image.env, ...options.env };
    for (const [name, value] of Object.entries(env)) args.push("--setenv", name, value);
    const entrypoint = options.entrypoint ?? this.image.entrypoint;
    args.push(
      "--chdir",
      "/",
      "--",
      process.execPath,
      INIT,
      `${RUNTIME_DIR}/init.sock`,
      ...entrypoint,
    );
    return args;
  }

  /** Connects to a port inside through the container's init, or fails as a refused connection. */
  private openPort(socketPath: string, port: number): Promise<Socket> {
    return new Promise((resolve, reject) => {
      const socket = connect(socketPath);
      let answer = "";
      const refused = () => {
        socket.destroy();
        reject(new Error(`connect(): Connection refused: container port ${port} not found`));
      };
      const onData = (chunk: Buffer) => {
        answer += chunk.toString("latin1");
        if (!answer.includes("\n")) return;
        socket.off("data", onData).off("end", refused).off("error", refused);
        if (!answer.startsWith("ok\n")) return refused();
        socket.pause();
        const rest = Buffer.from(answer.slice(3), "latin1");
        if (rest.length > 0) socket.unshift(rest);
        resolve(socket);
      };
      socket.on("data", onData).on("end", refused).on("error", refused);
      socket.on("connect", () => socket.write(`port ${port}\n`));
    });
  }
}

/** Sends one HTTP request over `socket` and turns the answer into a Response. */
function forward(socket: Socket, request: Request): Promise<Response> {
  return new Promise((resolve, reject) => {
    const url = new URL(request.url);
    const headers: Record<string, string> = {};
    request.headers.forEach((value, name) => (headers[name] = value));
    const upgrade = request.headers.get("upgrade") !== null;
    const outgoing = httpRequest({
      createConnection: () => socket,
      method: request.method,
      path: url.pathname + url.search,
      headers,
    });
    outgoing.once("socket", () => socket.resume());
    outgoing.on("error", reject);
    request.signal.addEventListener("abort", () => outgoing.destroy(new Error("aborted")), {
      once: true,
    });
    outgoing.on("response", (answer: IncomingMessage) => resolve(toResponse(answer)));
    outgoing.on("upgrade", (answer: IncomingMessage, upgraded: Socket, head: Buffer) => {
      if (head.length > 0) upgraded.unshift(head);
      resolve(new UpgradeResponse(answer.rawHeaders, upgraded));
    });
    if (upgrade || !request.body) outgoing.end();
    else Readable.fromWeb(request.body as import("node:stream/web").ReadableStream).pipe(outgoing);
  });
}

function toResponse(answer: IncomingMessage): Response {
  const headers = new Headers();
  for (let i = 0; i < answer.rawHeaders.length; i += 2)
    headers.append(answer.rawHeaders[i]!, answer.rawHeaders[i + 1]!);
  const status = answer.statusCode ?? 502;
  const empty = status === 204 || status === 304;
  if (empty) answer.resume();
  return new Response(empty ? null : (Readable.toWeb(answer) as ReadableStream), {
    status,
    statusText: answer.statusMessage ?? "",
    headers,
  });
}
