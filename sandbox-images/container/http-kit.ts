// The container server's HTTP plumbing: routing, request bodies, files, and errors that leave as
// `{ error: { code, message } }` with the sandbox host's statuses.
import { createWriteStream } from "node:fs";
import { open, rm } from "node:fs/promises";
import type { IncomingMessage, RequestListener, ServerResponse } from "node:http";
import { once } from "node:events";
import { finished, pipeline } from "node:stream/promises";
import { ERROR_STATUS } from "../../protocol/sandbox-host.ts";
import { SandboxError } from "../../sandbox/provider.ts";
import { json } from "../../sandbox-host/http-json.ts";

/** The largest JSON body the server reads (file writes included). */
const MAX_JSON_BYTES = 24 * 1024 * 1024;
/** The longest first line of a framed body. */
const MAX_FRAME_HEAD_BYTES = 64 * 1024;

/** Structured log lines on stdout, which the platform collects. */
export type Log = (message: string, fields?: Record<string, unknown>) => void;

/** Handles one matched request; `params` are the pattern's groups, decoded. */
export type Handler = (
  req: IncomingMessage,
  res: ServerResponse,
  params: string[],
) => Promise<void>;
/** A method (or "*" for any), an anchored path pattern and its handler. */
export type Route = [method: string, pattern: RegExp, handler: Handler];

/** A request listener that runs the first matching route and turns failures into error bodies. */
export function router(routes: Route[], log: Log): RequestListener {
  return (req, res) => {
    void (async () => {
      try {
        const path = new URL(req.url ?? "/", "http://container").pathname;
        for (const [method, pattern, handler] of routes) {
          const match = pattern.exec(path);
          if (match && (method === "*" || req.method === method))
            return await handler(
              req,
              res,
              match.slice(1).map((p) => decodeURIComponent(p ?? "")),
            );
        }
        throw new SandboxError("not_found", `No route for ${req.method} ${path}.`);
      } catch (error) {
        const failure = toSandboxError(error, log);
        if (res.headersSent) return void res.end();
        json(res, ERROR_STATUS[failure.code], {
          error: { code: failure.code, message: failure.message },
        });
      }
    })();
  };
}

/** A SandboxError as it is; anything else logged and answered as internal. */
export function toSandboxError(error: unknown, log: Log): SandboxError {
  if (error instanceof SandboxError) return error;
  log("container.request.failed", {
    error: error instanceof Error ? (error.stack ?? error.message) : String(error),
  });
  return new SandboxError("internal", "The container failed to handle that request.");
}

/** The request's JSON body (an empty body is `{}`). */
export async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_JSON_BYTES)
      throw new SandboxError(
        "invalid_input",
        `JSON bodies may be at most ${MAX_JSON_BYTES} bytes.`,
      );
    chunks.push(chunk as Buffer);
  }
  if (size === 0) return {};
  try {
    return JSON.parse(Buffer.concat(chunks).toString("utf8"));
  } catch {
    throw new SandboxError("invalid_input", "The request body must be JSON.");
  }
}

/** Writes the request's body (or what is left of it after `first`) to a file. */
export async function saveBody(req: IncomingMessage, path: string, first?: Buffer): Promise<void> {
  const out = createWriteStream(path, { mode: 0o600 });
  if (first?.length) out.write(first);
  await pipeline(req, out);
}

/** Reads a framed body's first line (JSON) and writes the rest, the payload, to `payloadPath`. */
export async function readFramed(req: IncomingMessage, payloadPath: string): Promise<unknown> {
  const out = createWriteStream(payloadPath, { mode: 0o600 });
  let head = Buffer.alloc(0);
  let line: string | null = null;
  try {
    for await (const chunk of req) {
      if (line !== null) {
        if (!out.write(chunk)) await once(out, "drain");
        continue;
      }
      head = Buffer.concat([head, chunk as Buffer]);
      const newline = head.indexOf(10);
      if (newline < 0) {
        if (head.length > MAX_FRAME_HEAD_BYTES)
          throw new SandboxError("invalid_input", "The first line of a framed body is too long.");
        continue;
      }
      line = head.subarray(0, newline).toString("utf8");
      out.write(head.subarray(newline + 1));
    }
  } finally {
    out.end();
    await finished(out).catch(() => {});
  }
  try {
    if (line !== null) return JSON.parse(line);
  } catch {
    // Answered below.
  }
  throw new SandboxError("invalid_input", "A framed body must start with a line of JSON.");
}

/** Answers with a file's bytes and their length, then removes the file. */
export async function sendFile(
  res: ServerResponse,
  path: string,
  headers: Record<string, string> = {},
): Promise<void> {
  const handle = await open(path, "r");
  try {
    const { size } = await handle.stat();
    res.writeHead(200, {
      "content-type": "application/octet-stream",
      "content-length": String(size),
      ...headers,
    });
    await pipeline(handle.createReadStream({ autoClose: false }), res);
  } finally {
    await handle.close();
    await rm(path, { force: true });
  }
}
