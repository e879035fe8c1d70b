// The port proxy against the real Perl agent (spawned directly, no sandbox) and servers on loopback.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import {
  createServer as createHttpServer,
  request,
  type IncomingMessage,
  type RequestListener,
  type Server,
} from "node:http";
import { createServer as createNetServer, type AddressInfo, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { SandboxError } from "../../sandbox/provider.ts";
import { AgentChannel } from "../agent-channel.ts";
import {
  innerPath,
  parsePort,
  proxyRequest,
  proxyUpgrade,
  rawJsonResponse,
  type PortTarget,
} from "./port-proxy.ts";

const AGENT_PATH = fileURLToPath(new URL("../agent/agent.pl", import.meta.url));
const PREFIX = "/v1/sandboxes/sbx_1/ports";

let dir: string;
let agent: ChildProcess;
let channel: AgentChannel;
const closers: (() => void)[] = [];

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "port-proxy-"));
  agent = spawn("perl", [AGENT_PATH], {
    env: { ...process.env, TANDEM_AGENT_PORTS_DIR: join(dir, "ports") },
  });
  channel = new AgentChannel({ stdin: agent.stdin!, stdout: agent.stdout!, log: () => {} });
});

afterEach(() => {
  for (const close of closers.splice(0)) close();
  agent.kill("SIGKILL");
  rmSync(dir, { recursive: true, force: true });
});

/** Listens on a free loopback port and closes the server after the test. */
async function listen(server: Server | ReturnType<typeof createNetServer>): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  closers.push(() => {
    server.close();
    if ("closeAllConnections" in server) server.closeAllConnections();
  });
  return (server.address() as AddressInfo).port;
}

/** Exposes `port` through the agent and starts a stand-in host that proxies everything to it. */
async function exposeThroughHost(port: number, target?: Partial<PortTarget>): Promise<string> {
  await channel.expose(port, "greeting-0123456789");
  const full: PortTarget = {
    port,
    socketPath: join(dir, "ports", `${port}.sock`),
    greeting: "greeting-0123456789",
    ...target,
  };
  const fail = (error: unknown) => (error instanceof SandboxError ? error.code : "internal");
  const host = createHttpServer((req, res) => {
    proxyRequest(full, req, res).catch((error: unknown) => {
      res.writeHead(502, { "content-type": "application/json" });
      res.end(JSON.stringify({ error: { code: fail(error) } }));
    });
  });
  host.on("upgrade", (req: IncomingMessage, socket: Socket, head: Buffer) => {
    proxyUpgrade(full, req, socket, head).catch((error: unknown) =>
      rawJsonResponse(socket, 502, { error: { code: fail(error) } }),
    );
  });
  return `http://127.0.0.1:${await listen(host)}${PREFIX}/${port}`;
}

async function startServer(handler: RequestListener): Promise<{ server: Server; port: number }> {
  const server = createHttpServer(handler);
  return { server, port: await listen(server) };
}

describe("proxyRequest", () => {
  it("forwards any method with its path, query and body, without the host token or hop-by-hop headers", async () => {
    let seen: {
      method?: string;
      url?: string;
      headers?: IncomingMessage["headers"];
      body?: string;
    } = {};
    const { port } = await startServer(async (req, res) => {
      let body = "";
      for await (const chunk of req) body += String(chunk);
      seen = { method: req.method, url: req.url, headers: req.headers, body };
      res.writeHead(201, "Made", [
        "set-cookie",
        "a=1",
        "set-cookie",
        "b=2",
        "x-inner",
        "yes",
        "connection",
        "close",
      ]);
      res.end("made it");
    });
    const base = await exposeThroughHost(port);
    // node:http rather than fetch, which refuses to send a connection header.
    const response = await new Promise<IncomingMessage>((resolve, reject) => {
      const req = request(`${base}/deep/path%20x?q=1&r=2`, {
        method: "PATCH",
        headers: {
          authorization: "Bearer host-token",
          "x-custom": "kept",
          connection: "x-hop",
          "x-hop": "dropped",
        },
      });
      req.on("response", resolve).on("error", reject);
      req.end("the body");
    });
    let answer = "";
    for await (const chunk of response) answer += String(chunk);
    expect(response.statusCode).toBe(201);
    expect(response.statusMessage).toBe("Made");
    expect(response.headers["set-cookie"]).toEqual(["a=1", "b=2"]);
    expect(response.headers["x-inner"]).toBe("yes");
    expect(answer).toBe("made it");
    expect(seen).toMatchObject({
      method: "PATCH",
      url: "/deep/path%20x?q=1&r=2",
      body: "the body",
    });
    expect(seen.headers?.authorization).toBeUndefined();
    expect(seen.headers?.["x-hop"]).toBeUndefined();
    expect(seen.headers?.["x-custom"]).toBe("kept");
  });

  it("streams large bodies both ways", async () => {
    const { port } = await startServer((req, res) => {
      res.writeHead(200);
      req.pipe(res);
    });
    const base = await exposeThroughHost(port);
    const upload = Buffer.alloc(6 * 1024 * 1024, "0123456789");
    const response = await fetch(`${base}/echo`, { method: "POST", body: upload });
    expect(Buffer.from(await response.arrayBuffer()).equals(upload)).toBe(true);
  });

  it("answers port_unreachable when nothing listens on the port", async () => {
    const { server, port } = await startServer(() => {});
    await new Promise((resolve) => server.close(resolve));
    const base = await exposeThroughHost(port);
    const response = await fetch(`${base}/`);
    expect(response.status).toBe(502);
    expect(await response.json()).toEqual({ error: { code: "port_unreachable" } });
  });

  it("sends nothing to a socket that does not greet like the agent", async () => {
    const received: Buffer[] = [];
    const impostor = createNetServer((socket) => {
      socket.write("greeting-01234xxxxx");
      socket.on("data", (chunk: Buffer) => received.push(chunk));
    });
    await new Promise<void>((resolve) => impostor.listen(join(dir, "impostor.sock"), resolve));
    closers.push(() => impostor.close());
    const base = await exposeThroughHost(1, { socketPath: join(dir, "impostor.sock") });
    const response = await fetch(`${base}/`, { method: "POST", body: "secret" });
    expect(response.status).toBe(502);
    expect(await response.json()).toEqual({ error: { code: "port_unreachable" } });
    expect(received).toEqual([]);
  });
});

describe("proxyUpgrade", () => {
  /** Sends an upgrade request; resolves with the socket after a 101, or the refusal's status and body. */
  function upgrade(url: string) {
    return new Promise<{ socket: Socket } | { status: number; body: string }>((resolve, reject) => {
      const req = request(url, { headers: { connection: "upgrade", upgrade: "echo" } });
      req.on("upgrade", (_res, socket: Socket) => resolve({ socket }));
      req.on("response", async (res) => {
        let body = "";
        for await (const chunk of res) body += String(chunk);
        resolve({ status: res.statusCode!, body });
      });
      req.on("error", reject);
      req.end();
    });
  }

  it("relays raw bytes both ways after the server switches protocols", async () => {
    const { server, port } = await startServer(() => {});
    server.on("upgrade", (req: IncomingMessage, socket: Socket) => {
      if (req.url !== "/live")
        return socket.end("HTTP/1.1 426 Upgrade Required\r\ncontent-length: 4\r\n\r\nnope");
      socket.write(
        "HTTP/1.1 101 Switching Protocols\r\nconnection: upgrade\r\nupgrade: echo\r\n\r\n",
      );
      socket.on("data", (chunk: Buffer) => socket.write(chunk.toString().toUpperCase()));
    });
    const base = await exposeThroughHost(port);
    const live = await upgrade(`${base}/live`);
    if (!("socket" in live)) throw new Error(`refused: ${live.status}`);
    live.socket.write("hello");
    const echoed = await new Promise<string>((resolve) =>
      live.socket.once("data", (chunk: Buffer) => resolve(String(chunk))),
    );
    expect(echoed).toBe("HELLO");
    live.socket.destroy();
    expect(await upgrade(`${base}/elsewhere`)).toEqual({ status: 426, body: "nope" });
  });

  it("answers port_unreachable when nothing listens on the port", async () => {
    const { server, port } = await startServer(() => {});
    await new Promise((resolve) => server.close(resolve));
    const base = await exposeThroughHost(port);
    const refused = await upgrade(`${base}/live`);
    expect(refused).toMatchObject({ status: 502 });
    expect(JSON.parse((refused as { body: string }).body)).toEqual({
      error: { code: "port_unreachable" },
    });
  });
});

describe("URLs", () => {
  it("takes the path and query after the port", () => {
    expect(innerPath(`${PREFIX}/3000`)).toBe("/");
    expect(innerPath(`${PREFIX}/3000/`)).toBe("/");
    expect(innerPath(`${PREFIX}/3000?x=1`)).toBe("/?x=1");
    expect(innerPath(`${PREFIX}/3000/a/b%20c?x=1`)).toBe("/a/b%20c?x=1");
  });

  it("accepts only port numbers from 1 to 65535", () => {
    expect(parsePort("3000")).toBe(3000);
    for (const bad of ["0", "65536", "3e3", "-1", "abc", "08080x"])
      expect(() => parsePort(bad)).toThrow(SandboxError);
  });
});
