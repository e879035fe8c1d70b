// Test wiring for the Containers provider: SandboxContainer gates over fake containers (the code
// the Durable Object runs, unchanged), the image the fake runs, and a Node server standing in for
// the Worker's port route.
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { Readable } from "node:stream";
import { fileURLToPath } from "node:url";
import {
  ContainerGate,
  type GateStorage,
} from "../../durable-objects/sandbox-container/container-gate.ts";
import type { ContainerNamespace } from "./container-calls.ts";
import { FakeContainer, UpgradeResponse, type FakeImage } from "./fake-container.ts";
import { forwardSandboxPort } from "./port-route.ts";

const PROJECT = fileURLToPath(new URL("../..", import.meta.url)).replace(/\/$/, "");

/** The container image, as the fake runs it: the server from this checkout, on this Node. */
export const TEST_IMAGE: FakeImage = {
  entrypoint: [process.execPath, `${PROJECT}/sandbox-images/container/server.ts`],
  env: {
    TANDEM_SANDBOX_UID: "64100",
    TANDEM_AGENT_PATH: `${PROJECT}/sandbox-host/agent/agent.pl`,
  },
  readOnly: [PROJECT],
  sandboxUid: 64_100,
};

/** A Durable Object's storage, in memory. */
function memoryStorage(): GateStorage & { alarm: number | null } {
  const values = new Map<string, unknown>();
  return {
    alarm: null,
    async get<T>(key: string) {
      return structuredClone(values.get(key)) as T | undefined;
    },
    async put<T>(key: string, value: T) {
      values.set(key, structuredClone(value));
    },
    async deleteAll() {
      values.clear();
    },
    async setAlarm(at: number) {
      this.alarm = at;
    },
    async deleteAlarm() {
      this.alarm = null;
    },
  };
}

/** SandboxContainer objects by name, each a gate over its own fake container. */
export function fakeContainerNamespace(): ContainerNamespace & {
  containers: Map<string, FakeContainer>;
  stopAll(): Promise<void>;
} {
  const objects = new Map<string, ContainerGate>();
  const containers = new Map<string, FakeContainer>();
  return {
    containers,
    get(name) {
      let gate = objects.get(name);
      if (!gate) {
        // Remote repositories of the tests are folders under the temporary directory.
        const container = new FakeContainer({ image: TEST_IMAGE, internet: [tmpdir()] });
        containers.set(name, container);
        gate = new ContainerGate({
          container,
          storage: memoryStorage(),
          now: () => Date.now(),
          log: () => {},
        });
        objects.set(name, gate);
      }
      const target = gate;
      // Node's Request must be told that a stream body is sent while the answer arrives.
      return {
        fetch: (input, init) =>
          target.fetch(new Request(input, { ...init, duplex: "half" } as RequestInit)),
      };
    },
    async stopAll() {
      await Promise.all([...containers.values()].map((c) => c.destroy()));
    },
  };
}

/** The Worker's port route on a local port; `url` is what the provider puts before sandbox ids. */
export async function startPortRoute(
  containers: ContainerNamespace,
  token: string,
): Promise<{ url: string; stop(): void }> {
  const toRequest = (req: IncomingMessage, base: string) => {
    const headers = new Headers();
    for (let i = 0; i < req.rawHeaders.length; i += 2)
      headers.append(req.rawHeaders[i]!, req.rawHeaders[i + 1]!);
    const hasBody = req.method !== "GET" && req.method !== "HEAD";
    return new Request(new URL(req.url ?? "/", base), {
      method: req.method,
      headers,
      ...(hasBody ? { body: Readable.toWeb(req) as ReadableStream, duplex: "half" } : {}),
    } as RequestInit);
  };
  const server: Server = createServer((req, res) => {
    void (async () => {
      const response =
        (await forwardSandboxPort(toRequest(req, base), { token, containers })) ??
        new Response("", { status: 404 });
      const headers: [string, string][] = [];
      response.headers.forEach((value, name) => headers.push([name, value]));
      res.writeHead(response.status, headers.flat());
      if (!response.body) return void res.end();
      await Readable.fromWeb(response.body as import("node:stream/web").ReadableStream)
        .on("error", () => res.destroy())
        .pipe(res);
    })().catch(() => res.destroy());
  });
  server.on("upgrade", (req: IncomingMessage, socket, head: Buffer) => {
    void (async () => {
      const response = await forwardSandboxPort(toRequest(req, base), { token, containers });
      if (response instanceof UpgradeResponse) {
        let lines = "HTTP/1.1 101 Switching Protocols\r\n";
        for (let i = 0; i < response.upgradeHead.length; i += 2)
          lines += `${response.upgradeHead[i]}: ${response.upgradeHead[i + 1]}\r\n`;
        socket.write(`${lines}\r\n`);
        if (head.length > 0) response.socket.write(head);
        response.socket.pipe(socket).pipe(response.socket);
        socket.on("close", () => response.socket.destroy());
        response.socket.on("close", () => socket.destroy());
        return;
      }
      const status = response?.status ?? 404;
      const body = response ? Buffer.from(await response.arrayBuffer()) : Buffer.alloc(0);
      socket.end(
        `HTTP/1.1 ${status} -\r\ncontent-length: ${body.length}\r\nconnection: close\r\n\r\n${body}`,
      );
    })().catch(() => socket.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: `${base}/api/sandbox-ports`,
    stop: () => {
      server.close();
      server.closeAllConnections();
    },
  };
}
