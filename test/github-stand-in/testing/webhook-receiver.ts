// A webhook receiver for the stand-in's tests: a local HTTP server that checks each delivery's
// signature with @octokit/webhooks-methods and keeps what arrived.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { verify } from "@octokit/webhooks-methods";

/** One delivery as the receiver saw it. */
export interface Received {
  event: string;
  guid: string;
  /** Whether `X-Hub-Signature-256` matched the body under the secret. */
  signatureValid: boolean;
  payload: Record<string, unknown>;
  headers: Record<string, string | string[] | undefined>;
}

/** A running receiver. */
export interface WebhookReceiver {
  url: string;
  received: Received[];
  /** The status the next deliveries get (200 by default). */
  answerWith(status: number): void;
  close(): Promise<void>;
}

/** Starts a receiver that checks signatures with `secret`. */
export async function startWebhookReceiver(secret: string): Promise<WebhookReceiver> {
  const received: Received[] = [];
  let status = 200;
  const server = createServer((req, res) => {
    const parts: Buffer[] = [];
    req.on("data", (part: Buffer) => parts.push(part));
    req.on("end", () => {
      const body = Buffer.concat(parts).toString("utf8");
      const signature = String(req.headers["x-hub-signature-256"] ?? "");
      verify(secret, body, signature).then(
        (signatureValid) => {
          received.push({
            event: String(req.headers["x-github-event"]),
            guid: String(req.headers["x-github-delivery"]),
            signatureValid,
            payload: JSON.parse(body) as Record<string, unknown>,
            headers: req.headers,
          });
          res.writeHead(status).end();
        },
        () => res.writeHead(500).end(),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/webhooks`,
    received,
    answerWith(next) {
      status = next;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
