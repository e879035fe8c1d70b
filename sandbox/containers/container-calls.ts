// How the Containers provider talks to SandboxContainer objects: requests with the host's error
// shape, NDJSON streams, framed bodies (a JSON line, then bytes), and starting a container.
import { z } from "zod";
import type { StartContainerRequest } from "../../protocol/sandbox-container.ts";
import { HostErrorCodeSchema } from "../../protocol/sandbox-host.ts";
import { SandboxError } from "../provider.ts";

/** A SandboxContainer object's stub (what DurableObjectNamespace.get returns), as far as it is used. */
export interface ContainerStub {
  fetch(input: RequestInfo | URL, init?: RequestInit): Promise<Response>;
}

/** SandboxContainer objects by name: a sandbox id, `build-<image id>` or `git-<remote hash>`. */
export interface ContainerNamespace {
  get(name: string): ContainerStub;
}

/** The SandboxContainer binding, as far as the namespace uses it. */
export interface ContainerBinding {
  idFromName(name: string): DurableObjectId;
  get(id: DurableObjectId): ContainerStub;
}

/** The namespace over a Durable Object binding. */
export function containerNamespace(binding: ContainerBinding): ContainerNamespace {
  return { get: (name) => binding.get(binding.idFromName(name)) };
}

const ErrorBody = z.object({ error: z.object({ code: HostErrorCodeSchema, message: z.string() }) });

/** What a request carries: JSON, or a stream (with its length when known). */
export type CallBody =
  { json: unknown } | { stream: ReadableStream<Uint8Array> | null; length?: number } | undefined;

/** Sends a request to an object; a failure answer becomes a SandboxError with its code. */
export async function call(
  stub: ContainerStub,
  method: string,
  path: string,
  body?: CallBody,
  signal?: AbortSignal,
): Promise<Response> {
  const headers: Record<string, string> = {};
  let payload: BodyInit | undefined;
  if (body && "json" in body) {
    headers["content-type"] = "application/json";
    payload = JSON.stringify(body.json);
  } else if (body?.stream) {
    payload = body.stream;
    if (body.length !== undefined) headers["content-length"] = String(body.length);
  }
  let response: Response;
  try {
    response = await stub.fetch(`http://container${path}`, {
      method,
      headers,
      ...(payload === undefined ? {} : { body: payload }),
      ...(signal ? { signal } : {}),
    });
  } catch (error) {
    if (signal?.aborted) throw error;
    throw new SandboxError("unavailable", `The container did not answer: ${String(error)}`);
  }
  if (!response.ok) {
    const parsed = ErrorBody.safeParse(await response.json().catch(() => null));
    throw parsed.success
      ? new SandboxError(parsed.data.error.code, parsed.data.error.message)
      : new SandboxError("unavailable", `The container answered ${response.status}.`);
  }
  return response;
}

/** Starts the object's container for a role (harmless when it runs already). */
export async function startContainer(
  stub: ContainerStub,
  request: StartContainerRequest,
): Promise<void> {
  await (await call(stub, "POST", "/container", { json: request })).arrayBuffer();
}

/** Stops the object's container and forgets it; a missing one is fine. */
export async function stopContainer(stub: ContainerStub): Promise<void> {
  await call(stub, "DELETE", "/container").then(
    (response) => response.body?.cancel(),
    (error: unknown) => {
      if (!(error instanceof SandboxError && error.code === "not_found")) throw error;
    },
  );
}

/** Hands each NDJSON line of the answer, validated, to `onLine`. */
export async function readLines<S extends z.ZodType>(
  response: Response,
  schema: S,
  onLine: (line: z.infer<S>) => void,
): Promise<void> {
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  let pending = "";
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    const lines = (pending + value).split("\n");
    pending = lines.pop() ?? "";
    for (const line of lines) {
      if (!line.trim()) continue;
      const parsed = schema.safeParse(JSON.parse(line));
      if (!parsed.success)
        throw new SandboxError(
          "internal",
          `The container sent an unexpected line: ${line.slice(0, 200)}`,
        );
      onLine(parsed.data);
    }
  }
}

/** A body of one JSON line followed by the bytes of `payload`. */
export function framed(
  head: unknown,
  payload: ReadableStream<Uint8Array> | null,
): ReadableStream<Uint8Array> {
  const line = new TextEncoder().encode(`${JSON.stringify(head)}\n`);
  const { readable, writable } = new TransformStream<Uint8Array, Uint8Array>();
  void (async () => {
    const writer = writable.getWriter();
    await writer.write(line);
    writer.releaseLock();
    if (payload) await payload.pipeTo(writable);
    else await writable.close();
  })().catch((error: unknown) => writable.abort(error).catch(() => {}));
  return readable;
}

/** A response's length from its header, when it has one. */
export function lengthOf(response: Response): number | undefined {
  const header = response.headers.get("content-length");
  return header === null ? undefined : Number(header);
}
