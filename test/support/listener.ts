// Starting and stopping a stand-in's HTTP server: a free port by default, failures of a handler
// answered as the stand-in's own error, and a stop that does not wait for hung connections.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { sendJson } from "./http.ts";

/** How to listen and how to answer a handler that throws. */
export interface ListenOptions {
  /** 0 (the default) picks a free port. */
  port?: number | undefined;
  /** 127.0.0.1 by default. */
  host?: string | undefined;
  /** Names the server in log lines (`model stand-in`). */
  name: string;
  log: (line: string) => void;
  /** The JSON body of the 500 sent when the handler throws before answering. */
  failureBody: unknown;
}

/** A listening server. */
export interface Listener {
  /** `http://host:port`, an IPv6 host in brackets. */
  url: string;
  /** Closes every connection (hung requests included) and the listener. */
  close(): Promise<void>;
}

/** Serves `handle` and resolves once the server listens. */
export async function listen(
  handle: (req: IncomingMessage, res: ServerResponse) => Promise<void>,
  options: ListenOptions,
): Promise<Listener> {
  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      options.log(
        `${options.name}: ${req.method} ${req.url} failed: ${error instanceof Error ? error.stack : String(error)}`,
      );
      if (!res.headersSent) sendJson(res, 500, options.failureBody);
      else res.destroy();
    });
  });
  const host = options.host ?? "127.0.0.1";
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host.includes(":") ? `[${host}]` : host}:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
