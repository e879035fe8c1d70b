// A forward proxy a browser context sends all its traffic through, so a test can cut that
// context's network the way a dropped connection does: open connections reset, new ones refused.
import { createServer, request, type IncomingMessage, type ServerResponse } from "node:http";
import { connect, type Socket } from "node:net";
import type { AddressInfo } from "node:net";
import type { Duplex } from "node:stream";

/** A running proxy with a switch for its network. */
export interface NetworkCut {
  /** The proxy's address, for a context's `proxy.server`. */
  server: string;
  /** Resets every open connection and refuses new ones until `restore`. */
  cut(): void;
  restore(): void;
  stop(): Promise<void>;
}

/** Starts a proxy that only forwards to `targetOrigin` (the platform). */
export async function startNetworkCut(targetOrigin: string): Promise<NetworkCut> {
  const target = new URL(targetOrigin);
  const open = new Set<Duplex>();
  let down = false;

  const track = (socket: Duplex) => {
    open.add(socket);
    socket.once("close", () => open.delete(socket));
    socket.on("error", () => socket.destroy());
  };

  const forward = (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? "/", targetOrigin);
    if (down || url.host !== target.host) return void req.socket.destroy();
    const upstream = request(url, { method: req.method, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    upstream.on("error", () => req.socket.destroy());
    req.pipe(upstream);
  };

  const server = createServer(forward);
  server.on("connection", (socket: Socket) => {
    if (down) return void socket.destroy();
    track(socket);
  });
  // Chromium tunnels WebSockets through a proxy with CONNECT.
  server.on("connect", (req: IncomingMessage, client: Duplex, head: Buffer) => {
    if (down || req.url !== target.host) return void client.destroy();
    const upstream = connect(Number(target.port), target.hostname, () => {
      client.write("HTTP/1.1 200 Connection Established\r\n\r\n");
      if (head.length > 0) upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    track(upstream);
    track(client);
    upstream.once("close", () => client.destroy());
    client.once("close", () => upstream.destroy());
  });

  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    server: `http://127.0.0.1:${port}`,
    cut() {
      down = true;
      for (const socket of open) socket.destroy();
    },
    restore() {
      down = false;
    },
    stop() {
      down = true;
      for (const socket of open) socket.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
