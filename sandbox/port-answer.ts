// Answers on an exposed port's route, told apart: the provider's own failures (nothing listens,
// no such sandbox or port) become SandboxErrors; everything else is the sandbox server's answer.
import { z } from "zod";
import { HostErrorCodeSchema, type HostErrorCode } from "../protocol/sandbox-host.ts";
import { SandboxError } from "./provider.ts";

/** The failures a port route answers itself, by the status it answers them with. */
const OWN_FAILURES: Record<number, HostErrorCode> = {
  404: "not_found",
  410: "sandbox_exited",
  502: "port_unreachable",
};

/** The provider's error bodies are a few hundred bytes; anything longer is the server's. */
const MAX_ERROR_BYTES = 8 * 1024;

const ErrorBody = z.object({ error: z.object({ code: HostErrorCodeSchema, message: z.string() }) });

/**
 * The server's answer, or the provider's own failure thrown as a SandboxError. A failure is a
 * JSON error body whose code is the one the provider answers that status with; a server that
 * answers exactly that shape is read as the provider (only how its own error shows changes).
 */
export async function portAnswer(response: Response): Promise<Response> {
  const code = OWN_FAILURES[response.status];
  const json = response.headers.get("content-type")?.startsWith("application/json") ?? false;
  if (!code || !json || !response.body) return response;
  const { bytes, rest } = await readUpTo(response.body, MAX_ERROR_BYTES);
  if (!rest) {
    const parsed = ErrorBody.safeParse(parseJson(new TextDecoder().decode(bytes)));
    if (parsed.success && parsed.data.error.code === code)
      throw new SandboxError(code, parsed.data.error.message);
  }
  return new Response(replay(bytes, rest), response);
}

/** Reads at most `limit` bytes; `rest` is the unread remainder, or null when the body ended. */
async function readUpTo(
  body: ReadableStream<Uint8Array>,
  limit: number,
): Promise<{ bytes: Uint8Array; rest: ReadableStreamDefaultReader<Uint8Array> | null }> {
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let length = 0;
  while (length <= limit) {
    const { done, value } = await reader.read();
    if (done) return { bytes: concat(chunks, length), rest: null };
    chunks.push(value);
    length += value.byteLength;
  }
  return { bytes: concat(chunks, length), rest: reader };
}

/** A body that starts with what was read and goes on with what was not. */
function replay(
  bytes: Uint8Array,
  rest: ReadableStreamDefaultReader<Uint8Array> | null,
): ReadableStream<Uint8Array> {
  return new ReadableStream<Uint8Array>({
    start(controller) {
      if (bytes.byteLength > 0) controller.enqueue(bytes);
      if (!rest) controller.close();
    },
    async pull(controller) {
      const { done, value } = await rest!.read();
      if (done) controller.close();
      else controller.enqueue(value);
    },
    cancel(reason) {
      return rest?.cancel(reason);
    },
  });
}

function concat(chunks: Uint8Array[], length: number): Uint8Array {
  const out = new Uint8Array(length);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return out;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
