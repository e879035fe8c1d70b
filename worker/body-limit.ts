// Caps request bodies, for declared lengths and for chunked uploads alike.
import { createMiddleware } from "hono/factory";
import { TandemError } from "../protocol/errors.ts";
import type { AppEnv } from "./http.ts";

/** How much of an oversize chunked body is read and dropped before answering. */
const DRAIN_LIMIT_BYTES = 16 * 1024 * 1024;

/**
 * Reads and drops the rest of a body (up to a bound). Answering while the client is still
 * uploading resets the connection under `wrangler dev`, so the upload is let finish first.
 */
async function discardRest(
  reader: ReadableStreamDefaultReader<Uint8Array>,
  limit: number,
): Promise<void> {
  let drained = 0;
  try {
    while (drained < limit) {
      const { done, value } = await reader.read();
      if (done) return;
      drained += value.byteLength;
    }
    await reader.cancel();
  } catch {
    // The client went away; nothing left to drain.
  }
}

/** Refuses bodies over `maxBytes` with payload_too_large; a chunked body is read up to the cap. */
export function bodyLimit(maxBytes: number) {
  const tooLarge = () =>
    new TandemError("payload_too_large", `Request bodies may be at most ${maxBytes / 1024} KiB.`);
  return createMiddleware<AppEnv>(async (c, next) => {
    const request = c.req.raw;
    if (!request.body) return next();
    const declared = request.headers.get("content-length");
    if (declared !== null && !request.headers.has("transfer-encoding")) {
      if (Number(declared) > maxBytes) throw tooLarge();
      return next();
    }
    const reader = request.body.getReader();
    const chunks: Uint8Array[] = [];
    let size = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > maxBytes) {
        await discardRest(reader, DRAIN_LIMIT_BYTES);
        throw tooLarge();
      }
      chunks.push(value);
    }
    const body = new Uint8Array(size);
    let offset = 0;
    for (const chunk of chunks) {
      body.set(chunk, offset);
      offset += chunk.byteLength;
    }
    c.req.raw = new Request(request, { body });
    return next();
  });
}
