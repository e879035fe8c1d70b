// The sandbox role: one session's sandbox. The workspace is unpacked from its image (and a
// snapshot's changes), then the in-sandbox agent runs as the sandbox user and carries out the
// sandbox host's per-sandbox routes: exec, files, ports, the workspace half of git, and snapshots.
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { chmod, chown, mkdir, rm } from "node:fs/promises";
import type { IncomingMessage } from "node:http";
import { join } from "node:path";
import type { Duplex } from "node:stream";
import { pipeline } from "node:stream/promises";
import { StartAgentRequestSchema } from "../../protocol/sandbox-container.ts";
import {
  ERROR_STATUS,
  ExecRequestSchema,
  ExposePortRequestSchema,
  WriteFileRequestSchema,
  type ExecEvent,
  type ExposedPort,
} from "../../protocol/sandbox-host.ts";
import { SandboxError } from "../../sandbox/provider.ts";
import { AgentChannel, AgentGoneError } from "../../sandbox-host/agent-channel.ts";
import { agentExecRequest, execResult } from "../../sandbox-host/agent-exec.ts";
import { json, ndjson, parse } from "../../sandbox-host/http-json.ts";
import {
  parsePort,
  PORT_ROUTE,
  proxyRequest,
  proxyUpgrade,
  rawJsonResponse,
  type PortTarget,
} from "../../sandbox-host/sandboxes/port-proxy.ts";
import { withTimeout } from "../../sandbox-host/with-timeout.ts";
import {
  asSandboxUser,
  CONTROL_DIR,
  sandboxEnv,
  WORKSPACE,
  type ContainerConfig,
} from "./container-config.ts";
import { readJson, saveBody, sendFile, toSandboxError, type Log, type Route } from "./http-kit.ts";
import {
  applyChanges,
  archiveChanges,
  recordManifest,
  type Manifest,
} from "./workspace-changes.ts";
import { sandboxGitRoutes, type InSandbox } from "./sandbox-git.ts";

/** How long the agent has to answer its first ping. */
const AGENT_START_TIMEOUT_MS = 10_000;
/** The largest file read through the API. */
const MAX_READ_BYTES = 16 * 1024 * 1024;

/** The sandbox role's routes and its WebSocket upgrade handler. */
export function sandboxRole(config: ContainerConfig, log: Log) {
  let manifest: Manifest | null = null;
  let channel: AgentChannel | null = null;
  const ports = new Set<number>();
  const greeting = randomBytes(16).toString("hex");
  const scratch = join(config.stateDir, "scratch");
  const layout = { root: "/", workspaceName: WORKSPACE.slice(1), scratch };

  const own = (id: string | undefined) => {
    if (id !== config.sandboxId)
      throw new SandboxError("not_found", "No sandbox with that id in this container.");
  };
  const agent = (): AgentChannel => {
    if (!channel) throw new SandboxError("unavailable", "The sandbox is still starting.");
    return channel;
  };
  const agentFailure = (error: unknown): SandboxError => {
    if (error instanceof SandboxError) return error;
    if (error instanceof AgentGoneError)
      return new SandboxError("sandbox_exited", "The sandbox stopped while the request ran.");
    return new SandboxError(
      "invalid_input",
      error instanceof Error ? error.message : String(error),
    );
  };

  /** Runs a command in the workspace as the sandbox user; fails with its stderr. */
  const inSandbox: InSandbox = async (argv, what) => {
    const outcome = await agent()
      .exec({ argv, cwd: WORKSPACE, timeoutMs: 600_000, maxOutputBytes: 1024 * 1024 })
      .done.catch((error: unknown) => {
        throw agentFailure(error);
      });
    const stderr = Buffer.from(outcome.stderr).toString("utf8").trim();
    if (outcome.exitCode !== 0 && what)
      throw new SandboxError(
        "invalid_input",
        `${what} failed in the workspace: ${stderr.slice(0, 2_000)}`,
      );
    return { ok: outcome.exitCode === 0, out: Buffer.from(outcome.stdout).toString("utf8").trim() };
  };

  const portTarget = (id: string, port: number): PortTarget => {
    own(id);
    agent();
    if (!ports.has(port))
      throw new SandboxError(
        "not_found",
        `Port ${port} of that sandbox is not exposed; POST /v1/sandboxes/${id}/ports first.`,
      );
    return { port, socketPath: join(CONTROL_DIR, "ports", `${port}.sock`), greeting };
  };

  const base = "^/v1/sandboxes/([^/]+)";
  const routes: Route[] = [
    [
      "PUT",
      new RegExp(`${base}/workspace$`),
      async (req, res, [id]) => {
        own(id);
        if (manifest) throw new SandboxError("invalid_input", "The workspace is in place already.");
        const unpack = spawn(
          "sh",
          ["-c", "zstd -q -dc | tar --extract --file=- --numeric-owner -C /"],
          { stdio: ["pipe", "ignore", "pipe"] },
        );
        let stderr = "";
        unpack.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
        const exited = new Promise<number | null>((resolve) => unpack.on("close", resolve));
        await pipeline(req, unpack.stdin).catch(() => {});
        if ((await exited) !== 0)
          throw new SandboxError(
            "invalid_input",
            `The image could not be unpacked: ${stderr.trim()}`,
          );
        manifest = await recordManifest(WORKSPACE);
        res.writeHead(204).end();
      },
    ],
    [
      "PUT",
      new RegExp(`${base}/changes$`),
      async (req, res, [id]) => {
        own(id);
        if (!manifest || channel)
          throw new SandboxError(
            "invalid_input",
            "Changes go onto a fresh workspace, before the agent starts.",
          );
        const archive = join(scratch, `restore-${Date.now()}.tar.zst`);
        try {
          await saveBody(req, archive);
          await applyChanges(archive, layout);
        } finally {
          await rm(archive, { force: true });
        }
        res.writeHead(204).end();
      },
    ],
    [
      "POST",
      new RegExp(`${base}/agent$`),
      async (req, res, [id]) => {
        own(id);
        const request = parse(StartAgentRequestSchema, await readJson(req));
        if (!manifest) throw new SandboxError("invalid_input", "Put the workspace in place first.");
        if (channel) throw new SandboxError("invalid_input", "The agent runs already.");
        const [command, ...args] = asSandboxUser(config.sandboxUid, request.limits.pids, [
          "perl",
          config.agentPath,
        ]);
        const child = spawn(command!, args, {
          cwd: WORKSPACE,
          env: sandboxEnv(request.env),
          stdio: ["pipe", "pipe", "pipe"],
        });
        child.stderr!.on("data", (chunk: Buffer) =>
          log("sandbox.stderr", { text: chunk.toString().slice(0, 2_000) }),
        );
        // The sandbox is its agent: when the agent is gone, so is the container.
        child.on("exit", (code, signal) => {
          log("sandbox.agent.exited", { code, signal });
          process.exit(1);
        });
        channel = new AgentChannel({
          stdin: child.stdin!,
          stdout: child.stdout!,
          log: (m) => log(m),
        });
        await withTimeout(
          channel.ping(),
          AGENT_START_TIMEOUT_MS,
          "the agent did not start in time",
        );
        res.writeHead(204).end();
      },
    ],
    [
      "POST",
      new RegExp(`${base}/exec$`),
      async (req, res, [id]) => {
        own(id);
        const request = parse(ExecRequestSchema, await readJson(req));
        const running = agent();
        const send = ndjson<ExecEvent>(res);
        const started = running.exec(agentExecRequest(request, WORKSPACE), (stream, data) =>
          send({ type: "output", stream, data: Buffer.from(data).toString("base64") }),
        );
        // Closing the request kills the command.
        res.on("close", () => {
          if (!res.writableFinished) void running.kill(started.id, "KILL").catch(() => {});
        });
        try {
          send({ type: "exit", result: execResult(await started.done) });
        } catch (error) {
          const failure = toSandboxError(agentFailure(error), log);
          send({ type: "failed", code: failure.code, message: failure.message });
        }
        res.end();
      },
    ],
    [
      "GET",
      new RegExp(`${base}/files$`),
      async (req, res, [id]) => {
        own(id);
        const url = new URL(req.url ?? "/", "http://container");
        const path = url.searchParams.get("path");
        if (!path) throw new SandboxError("invalid_input", "Give the file's path as ?path=.");
        const asked = Number(url.searchParams.get("maxBytes") ?? MAX_READ_BYTES);
        const maxBytes =
          Number.isFinite(asked) && asked > 0 ? Math.min(asked, MAX_READ_BYTES) : MAX_READ_BYTES;
        const file = await agent()
          .read(inWorkspace(path), maxBytes)
          .catch((error: unknown) => {
            throw agentFailure(error);
          });
        json(
          res,
          200,
          file.found ? { ...file, data: Buffer.from(file.data).toString("base64") } : file,
        );
      },
    ],
    [
      "PUT",
      new RegExp(`${base}/files$`),
      async (req, res, [id]) => {
        own(id);
        const request = parse(WriteFileRequestSchema, await readJson(req));
        await agent()
          .write(inWorkspace(request.path), Buffer.from(request.data, "base64"), {
            parents: true,
            ...(request.mode !== undefined ? { mode: request.mode } : {}),
          })
          .catch((error: unknown) => {
            throw agentFailure(error);
          });
        res.writeHead(204).end();
      },
    ],
    [
      "POST",
      new RegExp(`${base}/ports$`),
      async (req, res, [id]) => {
        own(id);
        const { port } = parse(ExposePortRequestSchema, await readJson(req));
        await agent()
          .expose(port, greeting)
          .catch((error: unknown) => {
            throw agentFailure(error);
          });
        ports.add(port);
        const url = `http://${req.headers.host ?? "container"}/v1/sandboxes/${encodeURIComponent(id!)}/ports/${port}/`;
        json(res, 200, { port, url } satisfies ExposedPort);
      },
    ],
    [
      "*",
      PORT_ROUTE,
      async (req, res, [id, port]) => proxyRequest(portTarget(id!, parsePort(port!)), req, res),
    ],
    [
      "POST",
      new RegExp(`${base}/changes$`),
      async (_req, res, [id]) => {
        own(id);
        if (!manifest)
          throw new SandboxError("invalid_input", "The workspace is not in place yet.");
        await sendFile(res, await archiveChanges(manifest, layout));
      },
    ],
    ...sandboxGitRoutes({ base, own, inSandbox, scratch }),
  ];

  /** WebSocket upgrades: only the port proxy takes them. */
  const upgrade = (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on("error", () => socket.destroy());
    void (async () => {
      try {
        const path = new URL(req.url ?? "/", "http://container").pathname;
        const match = PORT_ROUTE.exec(path);
        if (!match) throw new SandboxError("not_found", `No upgradable route at ${path}.`);
        const [id, port] = match.slice(1).map(decodeURIComponent);
        await proxyUpgrade(portTarget(id!, parsePort(port!)), req, socket, head);
      } catch (error) {
        const failure = toSandboxError(error, log);
        rawJsonResponse(socket, ERROR_STATUS[failure.code], {
          error: { code: failure.code, message: failure.message },
        });
      }
    })();
  };

  return { routes, upgrade, prepare: () => prepareControlDir(config, scratch) };
}

/** /run/tandem belongs to root; the sandbox user owns only its outbox and its port sockets. */
async function prepareControlDir(config: ContainerConfig, scratch: string): Promise<void> {
  await mkdir(scratch, { recursive: true, mode: 0o700 });
  await mkdir(CONTROL_DIR, { recursive: true, mode: 0o755 });
  await chmod(CONTROL_DIR, 0o755);
  await mkdir(join(CONTROL_DIR, "inbox"), { recursive: true, mode: 0o755 });
  for (const name of ["ports", "outbox"]) {
    await mkdir(join(CONTROL_DIR, name), { recursive: true, mode: 0o755 });
    await chown(join(CONTROL_DIR, name), config.sandboxUid, config.sandboxUid);
  }
}

/** A path inside the sandbox: relative paths are relative to the workspace. */
function inWorkspace(path: string): string {
  return path.startsWith("/") ? path : `${WORKSPACE}/${path}`;
}
