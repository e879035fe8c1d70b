// Request and response helpers for the stand-ins' plain Node HTTP servers.
import type { IncomingMessage, ServerResponse } from "node:http";

/** The request body, or null when it is larger than `maxBytes` (the rest is discarded). */
export async function readBody(req: IncomingMessage, maxBytes: number): Promise<Buffer | null> {
  const parts: Buffer[] = [];
  let size = 0;
  for await (const part of req as AsyncIterable<Buffer>) {
    size += part.length;
    if (size <= maxBytes) parts.push(part);
  }
  return size > maxBytes ? null : Buffer.concat(parts);
}

/** Parses JSON, telling a parse failure apart from a JSON `null`. */
export function parseJson(
  text: string,
): { ok: true; value: unknown } | { ok: false; message: string } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (error) {
    return { ok: false, message: error instanceof Error ? error.message : String(error) };
  }
}

/**
 * Sends `body` as a JSON response labelled `application/json; charset=utf-8` (a `content-type` in
 * `headers` wins); an undefined body sends none.
 */
export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  if (body === undefined) {
    res.writeHead(status, headers);
    res.end();
    return;
  }
  const text = JSON.stringify(body);
  res.writeHead(status, {
    "content-type": "application/json; charset=utf-8",
    "content-length": String(Buffer.byteLength(text)),
    ...headers,
  });
  res.end(text);
}
