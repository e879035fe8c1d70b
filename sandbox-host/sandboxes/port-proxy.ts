// Forwards HTTP requests and WebSocket upgrades to a server inside a sandbox, over the agent's relay socket.
import {
  request,
  type ClientRequest,
  STATUS_CODES,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type ServerResponse,
} from "node:http";
import { connect, type Socket } from "node:net";
import type { Duplex } from "node:stream";
import { pipeline } from "node:stream/promises";
import { SandboxError } from "../../sandbox/provider.ts";

/** How long the agent has to answer a new connection with its greeting. */
const GREETING_TIMEOUT_MS = 10_000;

/** Requests to `/v1/sandboxes/:id/ports/:port` and below go to the sandbox's port. */
export const PORT_ROUTE = /^\/v1\/sandboxes\/([^/]+)\/ports\/([^/]+)(?=\/|$)/;

/** Where one exposed port of a sandbox is reached from the host. */
export interface PortTarget {
  port: number;
  /** Host path of the agent's relay socket for the port. */
  socketPath: string;
  /** What the sandbox's agent sends first on each relayed connection. */
  greeting: string;
}

// Hop-by-hop headers belong to one connection, not to the message (RFC 9110 §7.6.1). The host
// token in `authorization` is for the host only and must never reach the sandbox.
const NOT_FORWARDED = new Set([
  "authorization",
  "connection",
  "keep-alive",
  "proxy-authenticate",
  "proxy-authorization",
  "proxy-connection",
  "te",
  "trailer",
  "transfer-encoding",
  "upgrade",
]);

/** A port number from the URL, or invalid_input. */
export function parsePort(text: string): number {
  const port = /^\d{1,5}$/.test(text) ? Number(text) : 0;
  if (port < 1 || port > 65_535)
    throw new SandboxError("invalid_input", `${text} is not a port number (1 to 65535).`);
  return port;
}

/** The path and query to ask the sandbox's server for: what follows the port in the URL. */
export function innerPath(url: string | undefined): string {
  const { pathname, search } = new URL(url ?? "/", "http://host");
  const prefix = PORT_ROUTE.exec(pathname)?.[0] ?? pathname;
  return (pathname.slice(prefix.length) || "/") + search;
}

/** Forwards one request and streams the answer back; fails with port_unreachable before
 * anything was sent to the client when the port's server cannot be reached. */
export async function proxyRequest(
  target: PortTarget,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const upstream = await forward(target, req, false);
  res.on("close", () => res.writableFinished || upstream.destroy());
  const answered = new Promise<IncomingMessage>((resolve, reject) => {
    upstream.once("response", resolve);
    // on, not once: an error after the first, unhandled, would end the host's process.
    upstream.on("error", (error) => reject(unreachable(target, error.message)));
  });
  // pipe, not pipeline: a failed upstream must not destroy the client's socket before the
  // error response is written.
  req.pipe(upstream);
  const answer = await answered;
  res.writeHead(answer.statusCode ?? 502, answer.statusMessage, responseHeaders(answer.rawHeaders));
  await pipeline(answer, res).catch(() => res.destroy());
}

/** Forwards an upgrade request (WebSocket) and, once the sandbox's server agrees, relays the
 * raw bytes both ways. A refusal is passed back as the server's own answer. */
export async function proxyUpgrade(
  target: PortTarget,
  req: IncomingMessage,
  client: Duplex,
  head: Buffer,
): Promise<void> {
  const upstream = await forward(target, req, true);
  client.on("error", () => upstream.destroy());
  client.on("close", () => upstream.destroy());
  await new Promise<void>((resolve, reject) => {
    upstream.on("error", (error) => reject(unreachable(target, error.message)));
    upstream.once("upgrade", (answer: IncomingMessage, server: Socket, serverHead: Buffer) => {
      client.write(responseHead(answer.statusCode ?? 101, answer.statusMessage, answer.rawHeaders));
      if (serverHead.length > 0) client.write(serverHead);
      if (head.length > 0) server.write(head);
      const end = () => {
        client.destroy();
        server.destroy();
      };
      server.on("error", end).on("close", end);
      client.on("close", end);
      server.pipe(client).pipe(server);
      resolve();
    });
    upstream.once("response", (answer: IncomingMessage) => {
      // The body arrives decoded from any chunked framing: its end is marked by closing.
      const headers = [...responseHeaders(answer.rawHeaders), "connection", "close"];
      client.write(responseHead(answer.statusCode ?? 502, answer.statusMessage, headers));
      answer.on("error", () => client.destroy()).pipe(client);
      resolve();
    });
    upstream.end();
  });
}

/** Writes a JSON error as a whole HTTP response on a raw socket (upgrade requests have no
 * ServerResponse) and closes it. */
export function rawJsonResponse(client: Duplex, status: number, value: unknown): void {
  const body = JSON.stringify(value);
  const headers = [
    "content-type",
    "application/json",
    "content-length",
    String(Buffer.byteLength(body)),
  ];
  client.end(responseHead(status, undefined, [...headers, "connection", "close"]) + body);
}

/** Starts the request to the sandbox's server over a fresh relay connection. */
async function forward(
  target: PortTarget,
  req: IncomingMessage,
  upgrade: boolean,
): Promise<ClientRequest> {
  const socket = await openRelay(target);
  const upstream = request({
    createConnection: () => socket,
    method: req.method,
    path: innerPath(req.url),
    headers: forwardedHeaders(req.headers, upgrade),
  });
  // The client attaches its reader before it emits "socket"; only then may bytes flow.
  upstream.once("socket", () => socket.resume());
  return upstream;
}

/** Connects to the agent's relay socket and waits for its greeting, so that no byte goes to a
 * socket that is not this sandbox's agent: the sandbox can put a symlink to any host socket
 * where the relay socket should be. The agent closes without a greeting when nothing listens.
 * The socket comes back paused, with any bytes after the greeting put back. */
function openRelay(target: PortTarget): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect(target.socketPath);
    let received = Buffer.alloc(0);
    const fail = (message: string) => {
      socket.destroy();
      reject(unreachable(target, message));
    };
    const timer = setTimeout(() => fail("its relay did not answer in time"), GREETING_TIMEOUT_MS);
    const expected = Buffer.from(target.greeting);
    const onData = (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      const compared = Math.min(received.length, expected.length);
      if (!received.subarray(0, compared).equals(expected.subarray(0, compared))) {
        clearTimeout(timer);
        return fail("its relay socket is not the sandbox agent's");
      }
      if (received.length < expected.length) return;
      clearTimeout(timer);
      socket.off("data", onData).off("end", onEnd).off("error", onError).pause();
      if (received.length > expected.length) socket.unshift(received.subarray(expected.length));
      resolve(socket);
    };
    const onEnd = () => {
      clearTimeout(timer);
      fail("nothing listens on it inside the sandbox");
    };
    const onError = (error: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      if (error.code === "ECONNRESET") return fail("nothing listens on it inside the sandbox");
      const gone = error.code === "ENOENT" || error.code === "ECONNREFUSED";
      fail(gone ? "its relay socket is gone; expose the port again" : error.message);
    };
    socket.on("data", onData).on("end", onEnd).on("error", onError);
  });
}

function unreachable(target: PortTarget, why: string): SandboxError {
  return new SandboxError(
    "port_unreachable",
    `Port ${target.port} of the sandbox did not answer: ${why}. A server there must listen on 127.0.0.1 or ::1.`,
  );
}

function forwardedHeaders(headers: IncomingHttpHeaders, upgrade: boolean): IncomingHttpHeaders {
  const named = new Set(
    String(headers.connection ?? "")
      .split(",")
      .map((name) => name.trim().toLowerCase()),
  );
  const forwarded: IncomingHttpHeaders = {};
  for (const [name, value] of Object.entries(headers)) {
    if (!NOT_FORWARDED.has(name) && !named.has(name)) forwarded[name] = value;
  }
  if (upgrade && headers.upgrade) {
    forwarded.connection = "upgrade";
    forwarded.upgrade = headers.upgrade;
  }
  return forwarded;
}

/** The server's headers without hop-by-hop ones, as a flat [name, value, …] list (keeps
 * repeated headers such as set-cookie). */
function responseHeaders(raw: string[]): string[] {
  const named = new Set<string>();
  for (let i = 0; i < raw.length; i += 2) {
    if (raw[i]!.toLowerCase() === "connection")
      for (const name of raw[i + 1]!.split(",")) named.add(name.trim().toLowerCase());
  }
  const kept: string[] = [];
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i]!.toLowerCase();
    if (!NOT_FORWARDED.has(name) && !named.has(name)) kept.push(raw[i]!, raw[i + 1]!);
  }
  return kept;
}

function responseHead(status: number, message: string | undefined, headers: string[]): string {
  let head = `HTTP/1.1 ${status} ${message || STATUS_CODES[status] || ""}\r\n`;
  for (let i = 0; i < headers.length; i += 2) head += `${headers[i]}: ${headers[i + 1]}\r\n`;
  return `${head}\r\n`;
}
