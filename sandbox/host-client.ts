// The SandboxProvider that drives a sandbox host over its HTTP API (works in Node and in workerd).

import {
  BuildEventSchema,
  CapabilitiesSchema,
  ExecEventSchema,
  GitPushResultSchema,
  GitSyncResultSchema,
  ExposedPortSchema,
  HostErrorCodeSchema,
  ImageSchema,
  RescueSchema,
  SandboxSchema,
  SnapshotSchema,
  type BuildEvent,
  type BuildImageRequest,
  type CreateSandboxRequest,
  type ExecRequest,
  type ExecResult,
  type Image,
  type ResolveBranchRequest,
} from "../protocol/sandbox-host.ts";
import {
  SandboxError,
  type FileRead,
  type GitPushRequestInput,
  type GitSyncRequestInput,
  type OutputListener,
  type SandboxProvider,
} from "./provider.ts";
import { portAnswer } from "./port-answer.ts";
import { z } from "zod";

/** Where the host is and the token it expects. */
export interface HostClientOptions {
  url: string;
  token: string;
  /** Replaceable for tests and for Worker service bindings. */
  fetch?: typeof fetch;
}

const ErrorBody = z.object({ error: z.object({ code: HostErrorCodeSchema, message: z.string() }) });
const FileBody = z.union([
  z.object({ found: z.literal(false) }),
  z.object({ found: z.literal(true), data: z.string(), size: z.number(), truncated: z.boolean() }),
]);

const toBase64 = (bytes: Uint8Array) => {
  let binary = "";
  for (let i = 0; i < bytes.length; i += 0x8000)
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
};
const fromBase64 = (text: string) => Uint8Array.from(atob(text), (c) => c.charCodeAt(0));

/** A provider backed by one sandbox host. */
export class SandboxHostClient implements SandboxProvider {
  readonly name = "sandbox-host";
  private readonly fetcher: typeof fetch;

  private readonly options: HostClientOptions;
  constructor(options: HostClientOptions) {
    this.options = options;
    this.fetcher = options.fetch ?? ((input, init) => fetch(input, init));
  }

  async capabilities() {
    return CapabilitiesSchema.parse(await this.call("GET", "/v1/capabilities"));
  }

  async buildImage(
    request: BuildImageRequest,
    onEvent?: (event: BuildEvent) => void,
  ): Promise<Image> {
    let image: Image | null = null;
    let failure: string | null = null;
    await this.stream("/v1/images", request, BuildEventSchema, (event) => {
      onEvent?.(event);
      if (event.type === "done") image = event.image;
      if (event.type === "failed") failure = event.message;
    });
    if (image) return image;
    throw new SandboxError("build_failed", failure ?? "The build ended without a result.");
  }

  /** The commit a branch of a remote repository points at (the host runs `git ls-remote`). */
  async resolveBranch(request: ResolveBranchRequest): Promise<string> {
    return parseWith(
      z.object({ commit: z.string() }),
      await this.call("POST", "/v1/refs/resolve", request),
    ).commit;
  }

  async listImages() {
    return parseWith(
      z.object({ images: z.array(ImageSchema) }),
      await this.call("GET", "/v1/images"),
    ).images;
  }

  async deleteImage(imageId: string) {
    await this.call("DELETE", `/v1/images/${encodeURIComponent(imageId)}`);
  }

  async createSandbox(request: CreateSandboxRequest) {
    return parseWith(
      z.object({ sandbox: SandboxSchema }),
      await this.call("POST", "/v1/sandboxes", request),
    ).sandbox;
  }

  async getSandbox(sandboxId: string) {
    try {
      return parseWith(
        z.object({ sandbox: SandboxSchema }),
        await this.call("GET", `/v1/sandboxes/${encodeURIComponent(sandboxId)}`),
      ).sandbox;
    } catch (error) {
      if (error instanceof SandboxError && error.code === "not_found") return null;
      throw error;
    }
  }

  async listSandboxes() {
    return parseWith(
      z.object({ sandboxes: z.array(SandboxSchema) }),
      await this.call("GET", "/v1/sandboxes"),
    ).sandboxes;
  }

  async destroySandbox(sandboxId: string) {
    await this.call("DELETE", `/v1/sandboxes/${encodeURIComponent(sandboxId)}`);
  }

  async rescued(sandboxId: string) {
    return parseWith(
      z.object({ rescue: RescueSchema.nullable() }),
      await this.call("GET", `/v1/sandboxes/${encodeURIComponent(sandboxId)}/rescue`),
    ).rescue;
  }

  async exec(
    sandboxId: string,
    request: ExecRequest,
    options: { onOutput?: OutputListener; signal?: AbortSignal } = {},
  ): Promise<ExecResult> {
    let result: ExecResult | null = null;
    let failure: SandboxError | null = null;
    await this.stream(
      `/v1/sandboxes/${encodeURIComponent(sandboxId)}/exec`,
      request,
      ExecEventSchema,
      (event) => {
        if (event.type === "output") options.onOutput?.(event.stream, fromBase64(event.data));
        if (event.type === "exit") result = event.result;
        if (event.type === "failed")
          failure = new SandboxError(
            HostErrorCodeSchema.catch("internal").parse(event.code),
            event.message,
          );
      },
      options.signal,
    );
    if (failure) throw failure;
    if (!result)
      throw new SandboxError("unavailable", "The command's stream ended without a result.");
    return result;
  }

  async readFile(
    sandboxId: string,
    path: string,
    options: { maxBytes?: number } = {},
  ): Promise<FileRead> {
    const query = new URLSearchParams({
      path,
      ...(options.maxBytes ? { maxBytes: String(options.maxBytes) } : {}),
    });
    const file = parseWith(
      FileBody,
      await this.call("GET", `/v1/sandboxes/${encodeURIComponent(sandboxId)}/files?${query}`),
    );
    return file.found
      ? { found: true, data: fromBase64(file.data), size: file.size, truncated: file.truncated }
      : { found: false };
  }

  async writeFile(
    sandboxId: string,
    path: string,
    data: Uint8Array,
    options: { mode?: number } = {},
  ) {
    await this.call("PUT", `/v1/sandboxes/${encodeURIComponent(sandboxId)}/files`, {
      path,
      data: toBase64(data),
      ...options,
    });
  }

  async exposePort(sandboxId: string, port: number) {
    return parseWith(
      ExposedPortSchema,
      await this.call("POST", `/v1/sandboxes/${encodeURIComponent(sandboxId)}/ports`, { port }),
    );
  }

  async fetchPort(sandboxId: string, port: number, request: Request): Promise<Response> {
    const { pathname, search } = new URL(request.url);
    const target = `${this.options.url}/v1/sandboxes/${encodeURIComponent(sandboxId)}/ports/${port}${pathname}${search}`;
    // The request's own headers go along (content-length too, so the body keeps its framing);
    // the Authorization becomes the host's token, which the host keeps from the sandbox.
    const headers = new Headers(request.headers);
    headers.set("authorization", `Bearer ${this.options.token}`);
    headers.delete("host");
    const hasBody = request.body !== null && request.method !== "GET" && request.method !== "HEAD";
    let response: Response;
    try {
      response = await this.fetcher(target, {
        method: request.method,
        headers,
        redirect: "manual",
        signal: request.signal,
        ...(hasBody ? { body: request.body, duplex: "half" } : {}),
      } as RequestInit);
    } catch (error) {
      if (request.signal.aborted) throw error;
      throw new SandboxError(
        "unavailable",
        `The sandbox host at ${this.options.url} did not answer: ${String(error)}`,
      );
    }
    return portAnswer(response);
  }

  async syncWorkspace(sandboxId: string, request: GitSyncRequestInput) {
    return GitSyncResultSchema.parse(
      await this.call("POST", `/v1/sandboxes/${encodeURIComponent(sandboxId)}/git/sync`, request),
    );
  }

  async pushWorkspace(sandboxId: string, request: GitPushRequestInput) {
    return GitPushResultSchema.parse(
      await this.call("POST", `/v1/sandboxes/${encodeURIComponent(sandboxId)}/git/push`, request),
    );
  }

  async snapshot(sandboxId: string) {
    return parseWith(
      z.object({ snapshot: SnapshotSchema }),
      await this.call("POST", `/v1/sandboxes/${encodeURIComponent(sandboxId)}/snapshots`),
    ).snapshot;
  }

  async listSnapshots() {
    return parseWith(
      z.object({ snapshots: z.array(SnapshotSchema) }),
      await this.call("GET", "/v1/snapshots"),
    ).snapshots;
  }

  async deleteSnapshot(snapshotId: string) {
    await this.call("DELETE", `/v1/snapshots/${encodeURIComponent(snapshotId)}`);
  }

  private async request(
    method: string,
    path: string,
    body?: unknown,
    signal?: AbortSignal,
  ): Promise<Response> {
    let response: Response;
    try {
      response = await this.fetcher(`${this.options.url}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${this.options.token}`,
          ...(body === undefined ? {} : { "content-type": "application/json" }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        ...(signal ? { signal } : {}),
      });
    } catch (error) {
      if (signal?.aborted) throw error;
      throw new SandboxError(
        "unavailable",
        `The sandbox host at ${this.options.url} did not answer: ${String(error)}`,
      );
    }
    if (!response.ok) {
      const parsed = ErrorBody.safeParse(await response.json().catch(() => null));
      throw parsed.success
        ? new SandboxError(parsed.data.error.code, parsed.data.error.message)
        : new SandboxError("unavailable", `The sandbox host answered ${response.status}.`);
    }
    return response;
  }

  private async call(method: string, path: string, body?: unknown): Promise<unknown> {
    const response = await this.request(method, path, body);
    return response.status === 204 ? null : response.json();
  }

  /** Posts a request and hands each NDJSON line of the answer, validated, to `onLine`. */
  private async stream<S extends z.ZodType>(
    path: string,
    body: unknown,
    schema: S,
    onLine: (line: z.infer<S>) => void,
    signal?: AbortSignal,
  ) {
    const response = await this.request("POST", path, body, signal);
    const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
    let pending = "";
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      const lines = (pending + value).split("\n");
      pending = lines.pop() ?? "";
      for (const line of lines) if (line.trim()) onLine(parseWith(schema, JSON.parse(line)));
    }
  }
}

function parseWith<S extends z.ZodType>(schema: S, value: unknown): z.infer<S> {
  const result = schema.safeParse(value);
  if (!result.success)
    throw new SandboxError(
      "internal",
      `The sandbox host sent an unexpected answer: ${result.error.issues[0]?.message}`,
    );
  return result.data;
}
