// The sandbox host's HTTP API: token-authenticated JSON routes, NDJSON streams for builds and
// commands, and the proxy to servers inside sandboxes (any method, and WebSocket upgrades).
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { Duplex } from "node:stream";
import { timingSafeEqual } from "../crypto/digest.ts";
import {
  BuildImageRequestSchema,
  ResolveBranchRequestSchema,
  GitPushRequestSchema,
  GitSyncRequestSchema,
  CreateSandboxRequestSchema,
  ExecRequestSchema,
  ExposePortRequestSchema,
  WriteFileRequestSchema,
  type BuildEvent,
  type Capabilities,
  type ExecEvent,
  type ExposedPort,
  ERROR_STATUS,
} from "../protocol/sandbox-host.ts";
import { SandboxError } from "../sandbox/provider.ts";
import { json, ndjson, parse } from "./http-json.ts";
import { resolveBranch } from "./images/host-git.ts";
import { pushWorkspace, syncWorkspace } from "./sandboxes/workspace-git.ts";
import { buildImage, type ImageBuilderDeps } from "./images/image-builder.ts";
import type { ImageStore } from "./images/image-store.ts";
import {
  parsePort,
  PORT_ROUTE,
  proxyRequest,
  proxyUpgrade,
  rawJsonResponse,
} from "./sandboxes/port-proxy.ts";
import type { SandboxManager } from "./sandboxes/sandbox-manager.ts";
import type { RescueStore } from "./snapshots/rescue-store.ts";
import type { SnapshotStore } from "./snapshots/snapshot-store.ts";

/** How long an idle client connection stays open. */
const KEEP_ALIVE_TIMEOUT_MS = 120_000;

/** The largest JSON body the host reads (file writes included). */
const MAX_BODY_BYTES = 24 * 1024 * 1024;

/** Everything the API drives. */
export interface HostServices {
  token: string;
  capabilities: Capabilities;
  images: ImageStore;
  snapshots: SnapshotStore;
  rescues: RescueStore;
  sandboxes: SandboxManager;
  builder: ImageBuilderDeps;
  log: (message: string, fields?: Record<string, unknown>) => void;
}

type Handler = (req: IncomingMessage, res: ServerResponse, params: string[]) => Promise<void>;

/** A route's method, or "*" for every method. */
type Method = "GET" | "POST" | "PUT" | "DELETE" | "*";

/** Creates the HTTP server (not yet listening). */
export function createHostServer(services: HostServices): Server {
  const workspaceGit = {
    paths: services.builder.paths,
    sandboxes: services.sandboxes,
    images: services.images,
  };
  // The first route whose method and pattern match handles the request. Patterns are anchored
  // at both ends except the port proxy's, which takes everything below its prefix.
  const routes: [Method, RegExp, Handler][] = [
    ["GET", /^\/v1\/health$/, async (_req, res) => json(res, 200, { ok: true })],
    ["GET", /^\/v1\/capabilities$/, async (_req, res) => json(res, 200, services.capabilities)],
    [
      "POST",
      /^\/v1\/refs\/resolve$/,
      async (req, res) => {
        const request = parse(ResolveBranchRequestSchema, await body(req));
        const commit = await resolveBranch(
          request.cloneUrl,
          request.branch,
          request.credential,
        ).catch((error: unknown) => {
          throw new SandboxError(
            "invalid_input",
            `Could not read ${request.branch} of ${request.cloneUrl}: ${error instanceof Error ? error.message : String(error)}`,
          );
        });
        if (!commit)
          throw new SandboxError("not_found", `The repository has no branch ${request.branch}.`);
        json(res, 200, { commit });
      },
    ],
    [
      "GET",
      /^\/v1\/images$/,
      async (_req, res) => json(res, 200, { images: await services.images.list() }),
    ],
    [
      "POST",
      /^\/v1\/images$/,
      async (req, res) => {
        const request = parse(BuildImageRequestSchema, await body(req));
        const stream = ndjson<BuildEvent>(res);
        await buildImage(services.builder, request, stream).catch(() => {});
        res.end();
      },
    ],
    [
      "DELETE",
      /^\/v1\/images\/([^/]+)$/,
      async (_req, res, [id]) => {
        const inUse = new Set([
          ...services.sandboxes.imagesInUse(),
          ...(await services.snapshots.imagesInUse()),
        ]);
        await services.images.delete(id!, inUse);
        res.writeHead(204).end();
      },
    ],
    [
      "GET",
      /^\/v1\/sandboxes$/,
      async (_req, res) => json(res, 200, { sandboxes: services.sandboxes.list() }),
    ],
    [
      "POST",
      /^\/v1\/sandboxes$/,
      async (req, res) =>
        json(res, 201, {
          sandbox: await services.sandboxes.create(
            parse(CreateSandboxRequestSchema, await body(req)),
          ),
        }),
    ],
    [
      "GET",
      /^\/v1\/sandboxes\/([^/]+)$/,
      async (_req, res, [id]) => {
        const sandbox = services.sandboxes.get(id!);
        if (!sandbox) throw new SandboxError("not_found", "No sandbox with that id on this host.");
        json(res, 200, { sandbox });
      },
    ],
    [
      "GET",
      /^\/v1\/sandboxes\/([^/]+)\/rescue$/,
      async (_req, res, [id]) => json(res, 200, { rescue: await services.rescues.get(id!) }),
    ],
    [
      "DELETE",
      /^\/v1\/sandboxes\/([^/]+)$/,
      async (_req, res, [id]) => {
        await services.sandboxes.destroy(id!);
        res.writeHead(204).end();
      },
    ],
    [
      "POST",
      /^\/v1\/sandboxes\/([^/]+)\/exec$/,
      async (req, res, [id]) => {
        const request = parse(ExecRequestSchema, await body(req));
        if (!services.sandboxes.get(id!))
          throw new SandboxError("not_found", "No sandbox with that id on this host.");
        const abort = new AbortController();
        res.on("close", () => res.writableFinished || abort.abort());
        const send = ndjson<ExecEvent>(res);
        try {
          const result = await services.sandboxes.exec(
            id!,
            request,
            (stream, data) =>
              send({ type: "output", stream, data: Buffer.from(data).toString("base64") }),
            abort.signal,
          );
          send({ type: "exit", result });
        } catch (error) {
          const failure = toSandboxError(error, services.log);
          send({ type: "failed", code: failure.code, message: failure.message });
        }
        res.end();
      },
    ],
    [
      "GET",
      /^\/v1\/sandboxes\/([^/]+)\/files$/,
      async (req, res, [id]) => {
        const url = new URL(req.url ?? "/", "http://host");
        const path = url.searchParams.get("path");
        if (!path) throw new SandboxError("invalid_input", "Give the file's path as ?path=.");
        const maxBytes = Number(url.searchParams.get("maxBytes") ?? 16 * 1024 * 1024);
        const file = await services.sandboxes.readFile(
          id!,
          path,
          Number.isFinite(maxBytes) && maxBytes > 0 ? maxBytes : undefined,
        );
        json(
          res,
          200,
          file.found ? { ...file, data: Buffer.from(file.data).toString("base64") } : file,
        );
      },
    ],
    [
      "PUT",
      /^\/v1\/sandboxes\/([^/]+)\/files$/,
      async (req, res, [id]) => {
        const request = parse(WriteFileRequestSchema, await body(req));
        await services.sandboxes.writeFile(
          id!,
          request.path,
          Buffer.from(request.data, "base64"),
          request.mode,
        );
        res.writeHead(204).end();
      },
    ],
    [
      "POST",
      /^\/v1\/sandboxes\/([^/]+)\/ports$/,
      async (req, res, [id]) => {
        const { port } = parse(ExposePortRequestSchema, await body(req));
        await services.sandboxes.exposePort(id!, port);
        const url = `${baseUrl(req)}/v1/sandboxes/${encodeURIComponent(id!)}/ports/${port}/`;
        json(res, 200, { port, url } satisfies ExposedPort);
      },
    ],
    [
      "*",
      PORT_ROUTE,
      async (req, res, [id, port]) =>
        proxyRequest(services.sandboxes.portTarget(id!, parsePort(port!)), req, res),
    ],
    [
      "POST",
      /^\/v1\/sandboxes\/([^/]+)\/snapshots$/,
      async (_req, res, [id]) => {
        const upper = services.sandboxes.upperLayer(id!);
        json(res, 201, { snapshot: await services.snapshots.take(upper.dir, id!, upper.imageId) });
      },
    ],
    [
      "POST",
      /^\/v1\/sandboxes\/([^/]+)\/git\/sync$/,
      async (req, res, [id]) => {
        const request = parse(GitSyncRequestSchema, await body(req));
        json(res, 200, await syncWorkspace(workspaceGit, id!, request));
      },
    ],
    [
      "POST",
      /^\/v1\/sandboxes\/([^/]+)\/git\/push$/,
      async (req, res, [id]) => {
        const request = parse(GitPushRequestSchema, await body(req));
        json(res, 200, await pushWorkspace(workspaceGit, id!, request));
      },
    ],
    [
      "GET",
      /^\/v1\/snapshots$/,
      async (_req, res) => json(res, 200, { snapshots: await services.snapshots.list() }),
    ],
    [
      "DELETE",
      /^\/v1\/snapshots\/([^/]+)$/,
      async (_req, res, [id]) => {
        await services.snapshots.delete(id!);
        res.writeHead(204).end();
      },
    ],
  ];

  const server = createServer((req, res) => {
    void (async () => {
      try {
        if (!authorized(req, services.token))
          throw new SandboxError("unauthenticated", "A valid host token is required.");
        const path = new URL(req.url ?? "/", "http://host").pathname;
        for (const [method, pattern, handler] of routes) {
          const match = pattern.exec(path);
          if (match && (method === "*" || req.method === method))
            return await handler(req, res, match.slice(1).map(decodeURIComponent));
        }
        throw new SandboxError("not_found", `No route for ${req.method} ${path}.`);
      } catch (error) {
        const failure = toSandboxError(error, services.log);
        if (res.headersSent) return void res.end();
        json(res, ERROR_STATUS[failure.code], {
          error: { code: failure.code, message: failure.message },
        });
      }
    })();
  });
  // Clients (the control plane) keep connections open between calls; Node's default of closing an
  // idle one after 5 s races a client reusing it under load ("Network connection lost"). Closing
  // idle connections only after two minutes leaves that to the client, which closes first.
  server.keepAliveTimeout = KEEP_ALIVE_TIMEOUT_MS;
  server.headersTimeout = KEEP_ALIVE_TIMEOUT_MS + 5_000;

  // Upgrade requests (WebSocket) skip the request handler: only the port proxy takes them.
  server.on("upgrade", (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on("error", () => socket.destroy());
    void (async () => {
      try {
        if (!authorized(req, services.token))
          throw new SandboxError("unauthenticated", "A valid host token is required.");
        const path = new URL(req.url ?? "/", "http://host").pathname;
        const match = PORT_ROUTE.exec(path);
        if (!match) throw new SandboxError("not_found", `No upgradable route at ${path}.`);
        const [id, port] = match.slice(1).map(decodeURIComponent);
        await proxyUpgrade(services.sandboxes.portTarget(id!, parsePort(port!)), req, socket, head);
      } catch (error) {
        const failure = toSandboxError(error, services.log);
        rawJsonResponse(socket, ERROR_STATUS[failure.code], {
          error: { code: failure.code, message: failure.message },
        });
      }
    })();
  });
  return server;
}

/** The host's URL as the caller reached it, for links it hands back. */
function baseUrl(req: IncomingMessage): string {
  const host = req.headers.host ?? `${req.socket.localAddress}:${req.socket.localPort}`;
  return `http://${host}`;
}

function authorized(req: IncomingMessage, token: string): boolean {
  const header = req.headers.authorization ?? "";
  return header.startsWith("Bearer ") && timingSafeEqual(header.slice(7), token);
}

function toSandboxError(error: unknown, log: HostServices["log"]): SandboxError {
  if (error instanceof SandboxError) return error;
  log("host.request.failed", {
    error: error instanceof Error ? (error.stack ?? error.message) : String(error),
  });
  return new SandboxError("internal", "The sandbox host failed to handle that request.");
}

async function body(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES)
      throw new SandboxError(
        "invalid_input",
        `Request bodies may be at most ${MAX_BODY_BYTES} bytes.`,
      );
    chunks.push(chunk as Buffer);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString("utf8"));
  } catch {
    throw new SandboxError("invalid_input", "The request body must be JSON.");
  }
}
