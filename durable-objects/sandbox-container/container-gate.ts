// What a SandboxContainer object does, over its container and its storage: start the container
// once for its role, wait until the server inside answers, forward requests to it, stop it when
// asked or when it has been idle too long, and remember why it stopped.
import {
  ContainerStateSchema,
  StartContainerRequestSchema,
  type ContainerRole,
  type ContainerState,
} from "../../protocol/sandbox-container.ts";
import { ERROR_STATUS, type HostErrorCode } from "../../protocol/sandbox-host.ts";

/** The port the server inside listens on (the image's TANDEM_PORT). */
export const CONTAINER_SERVER_PORT = 8080;
/** How long a container has to boot and answer its health check. */
const START_TIMEOUT_MS = 90_000;
const HEALTH_POLL_MS = 100;
/** Idle containers stop after this long without a request (the session stops sandboxes sooner;
 * these catch containers whose caller went away). */
const IDLE_MS: Record<ContainerRole, number> = {
  sandbox: 6 * 3_600_000,
  build: 3 * 3_600_000,
  git: 10 * 60_000,
};

/** The part of the platform's container API this object uses (ctx.container). */
export interface ContainerRuntime {
  readonly running: boolean;
  start(options?: ContainerStartupOptions): void;
  monitor(): Promise<void>;
  destroy(error?: unknown): Promise<void>;
  getTcpPort(port: number): {
    fetch(input: RequestInfo | URL, init?: RequestInit): Promise<Response>;
  };
}

/** The part of the object's storage it uses. */
export interface GateStorage {
  get<T>(key: string): Promise<T | undefined>;
  put<T>(key: string, value: T): Promise<void>;
  deleteAll(): Promise<void>;
  setAlarm(scheduledTime: number): Promise<void>;
  deleteAlarm(): Promise<void>;
}

/** What the gate needs. */
export interface GateDeps {
  container: ContainerRuntime;
  storage: GateStorage;
  now: () => number;
  log: (message: string, fields?: Record<string, unknown>) => void;
}

const STATE_KEY = "state";

/** One container behind one Durable Object. */
export class ContainerGate {
  private readonly deps: GateDeps;
  /** Requests being forwarded: an idle stop waits for them (builds and commands stream for long). */
  private inFlight = 0;
  private starting: Promise<{ status: number; body: string }> | null = null;

  constructor(deps: GateDeps) {
    this.deps = deps;
  }

  /** `POST|GET|DELETE /container` manage the container; every other request goes to it. */
  async fetch(request: Request): Promise<Response> {
    const path = new URL(request.url).pathname;
    if (path === "/container") {
      if (request.method === "POST") {
        // Concurrent starts share one; each caller gets its own copy of the answer.
        this.starting ??= this.start(request)
          .then(async (answer) => ({ status: answer.status, body: await answer.text() }))
          .finally(() => (this.starting = null));
        const { status, body } = await this.starting;
        return new Response(body, { status, headers: { "content-type": "application/json" } });
      }
      if (request.method === "GET") return this.describe();
      if (request.method === "DELETE") return this.stop();
      return failure("invalid_input", "Use POST, GET or DELETE on /container.");
    }
    const state = await this.state();
    if (!state) return failure("not_found", "No sandbox with that id.");
    if (!this.deps.container.running) {
      return state.role === "sandbox"
        ? failure(
            "sandbox_exited",
            `That sandbox has stopped (${state.exit ?? "its container ended"}); create a new one.`,
          )
        : failure("unavailable", "The container has stopped; start it again.");
    }
    this.inFlight += 1;
    try {
      await this.touch(state.role);
      return await this.deps.container.getTcpPort(CONTAINER_SERVER_PORT).fetch(request);
    } catch (error) {
      return failure("unavailable", `The container did not answer: ${String(error)}`);
    } finally {
      this.inFlight -= 1;
    }
  }

  /** The idle check: stops a container nothing has used for its role's idle time. */
  async alarm(): Promise<void> {
    const state = await this.state();
    if (!state) return;
    if (this.inFlight > 0) return void (await this.touch(state.role));
    this.deps.log("container.idle.stopped", { role: state.role, sandboxId: state.sandbox?.id });
    await this.stop();
  }

  private async start(request: Request): Promise<Response> {
    const parsed = StartContainerRequestSchema.safeParse(await request.json().catch(() => null));
    if (!parsed.success) return failure("invalid_input", "Invalid start request.");
    const wanted = parsed.data;
    const { container, storage, now } = this.deps;
    const existing = await this.state();
    if (existing && existing.role !== wanted.role)
      return failure("invalid_input", `This object holds a ${existing.role} container.`);
    if (existing?.role === "sandbox" && !container.running)
      return failure("sandbox_exited", "That sandbox has stopped; create a new one.");
    if (!container.running) {
      const state: ContainerState = {
        role: wanted.role,
        running: true,
        startedAt: now(),
        sandbox: wanted.sandbox ?? null,
        exit: null,
      };
      await storage.put(STATE_KEY, state);
      container.start({
        enableInternet: wanted.internet,
        env: {
          TANDEM_ROLE: wanted.role,
          ...(wanted.sandbox ? { TANDEM_SANDBOX_ID: wanted.sandbox.id } : {}),
        },
        ...(wanted.instance ? { instance: wanted.instance } : {}),
      });
      const ended = container.monitor().then(
        () => "the container exited",
        (error: unknown) => `the container failed: ${String(error)}`,
      );
      void ended.then(async (exit) => {
        const current = await this.state();
        if (current && current.startedAt === state.startedAt)
          await storage.put(STATE_KEY, { ...current, running: false, exit });
        this.deps.log("container.exited", { role: state.role, exit });
      });
      const ready = await this.waitUntilListening(ended);
      if (ready !== null) {
        await container.destroy().catch(() => {});
        await storage.put(STATE_KEY, { ...state, running: false, exit: ready });
        return failure("unavailable", `The container did not start: ${ready}`);
      }
    }
    await this.touch(wanted.role);
    return this.describe();
  }

  /** Polls the server's health route; null once it answers, else why it never did. */
  private async waitUntilListening(ended: Promise<string>): Promise<string | null> {
    const { container, now } = this.deps;
    const deadline = now() + START_TIMEOUT_MS;
    const stopped: { why: string | null } = { why: null };
    void ended.then((why) => (stopped.why = why));
    while (now() < deadline) {
      if (stopped.why !== null) return stopped.why;
      try {
        const health = await container
          .getTcpPort(CONTAINER_SERVER_PORT)
          .fetch("http://container/v1/health");
        await health.body?.cancel();
        if (health.ok) return null;
      } catch {
        // Not listening yet: the fetch fails until the server binds its port.
      }
      await new Promise((resolve) => setTimeout(resolve, HEALTH_POLL_MS));
    }
    return `no answer within ${START_TIMEOUT_MS / 1000} s`;
  }

  private async describe(): Promise<Response> {
    const state = await this.state();
    if (!state) return failure("not_found", "No sandbox with that id.");
    return Response.json({
      ...state,
      running: this.deps.container.running,
    } satisfies ContainerState);
  }

  private async stop(): Promise<Response> {
    const state = await this.state();
    if (!state) return failure("not_found", "No sandbox with that id.");
    // Forget first: the exit the destroy causes then finds nothing to record.
    await this.deps.storage.deleteAlarm();
    await this.deps.storage.deleteAll();
    if (this.deps.container.running) await this.deps.container.destroy();
    return new Response(null, { status: 204 });
  }

  private async state(): Promise<ContainerState | null> {
    const stored = await this.deps.storage.get<unknown>(STATE_KEY);
    const parsed = ContainerStateSchema.safeParse(stored);
    return parsed.success ? parsed.data : null;
  }

  private async touch(role: ContainerRole): Promise<void> {
    await this.deps.storage.setAlarm(this.deps.now() + IDLE_MS[role]);
  }
}

/** An error answer in the sandbox host's shape, so the host client reads it unchanged. */
function failure(code: HostErrorCode, message: string): Response {
  return Response.json({ error: { code, message } }, { status: ERROR_STATUS[code] });
}
