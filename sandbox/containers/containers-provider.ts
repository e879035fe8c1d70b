// The SandboxProvider on Cloudflare Containers: one container per sandbox, each behind its own
// SandboxContainer Durable Object. A sandbox's container runs the same per-sandbox routes as the
// sandbox host, so commands, files and ports go through the host client unchanged; images and
// snapshots are archives in the BlobStore, and git with remotes goes through a git container.
import { idPattern, newId } from "../../protocol/ids.ts";
import { ContainerStateSchema } from "../../protocol/sandbox-container.ts";
import {
  CreateSandboxRequestSchema,
  LimitsSchema,
  type BuildEvent,
  type BuildImageRequest,
  type Capabilities,
  type CreateSandboxRequest,
  type ExecRequest,
  type Rescue,
  type ResolveBranchRequest,
  type Sandbox,
  type Snapshot,
} from "../../protocol/sandbox-host.ts";
import { SandboxHostClient } from "../host-client.ts";
import {
  SandboxError,
  type GitPushRequestInput,
  type GitSyncRequestInput,
  type OutputListener,
  type SandboxProvider,
} from "../provider.ts";
import type { BlobStore } from "./blob-store.ts";
import { buildInContainers } from "./container-builds.ts";
import {
  call,
  lengthOf,
  startContainer,
  stopContainer,
  type ContainerNamespace,
} from "./container-calls.ts";
import {
  pushFromContainers,
  resolveBranchInContainers,
  syncInContainers,
} from "./container-git.ts";
import { instanceFor } from "./instance-types.ts";
import { portAnswer } from "../port-answer.ts";
import { KEYS, SandboxIndex } from "./sandbox-index.ts";

/** What the provider is built from (the composition root reads them from the bindings). */
export interface ContainersProviderOptions {
  containers: ContainerNamespace;
  store: BlobStore;
  /** Exposed ports are reachable under `<portBaseUrl>/<sandbox id>/<port>/` (the Worker's port route). */
  portBaseUrl: string;
  now?: () => number;
}

/** What this provider enforces, and what it does not. */
export const CONTAINERS_CAPABILITIES: Capabilities = {
  provider: "cloudflare-containers",
  root: true,
  isolation: "container",
  limits: { memory: true, pids: true, cpu: true },
  seccomp: false,
  network: "none",
  snapshots: true,
  missing: [
    "memory and CPU limits are whole instance types: a sandbox gets the smallest of lite, basic, standard-1 … standard-4 that covers its limits, at most standard-4 (4 vCPU, 12 GiB)",
    "no syscall filter of our own: commands run as an unprivileged user under the container runtime's defaults",
    "a build runs all its steps in one container, which has the internet when any step may use it",
    "no control-plane socket inside sandboxes",
    "snapshots keep files, folders and symlinks; sockets and devices in the workspace are not kept",
  ],
};

const SANDBOX_ID = idPattern("sbx");

export class ContainersProvider implements SandboxProvider {
  readonly name = "cloudflare-containers";
  private readonly options: ContainersProviderOptions;
  private readonly index: SandboxIndex;
  private readonly now: () => number;
  /** Per-sandbox routes, shared with the sandbox host, sent to the sandbox's object. */
  private readonly host: SandboxHostClient;

  constructor(options: ContainersProviderOptions) {
    this.options = options;
    this.index = new SandboxIndex(options.store);
    this.now = options.now ?? (() => Date.now());
    this.host = new SandboxHostClient({
      url: "http://sandbox",
      token: "container",
      fetch: (input, init) => {
        const url = new URL(input instanceof Request ? input.url : String(input));
        const id = decodeURIComponent(/^\/v1\/sandboxes\/([^/]+)/.exec(url.pathname)?.[1] ?? "");
        if (!SANDBOX_ID.test(id))
          return Promise.resolve(
            Response.json(
              { error: { code: "not_found", message: "No sandbox with that id." } },
              { status: 404 },
            ),
          );
        return options.containers.get(id).fetch(input, init);
      },
    });
  }

  async capabilities(): Promise<Capabilities> {
    return CONTAINERS_CAPABILITIES;
  }

  buildImage(request: BuildImageRequest, onEvent?: (event: BuildEvent) => void) {
    return buildInContainers(
      { containers: this.options.containers, index: this.index, now: this.now },
      request,
      onEvent,
    );
  }

  listImages() {
    return this.index.images();
  }

  async deleteImage(imageId: string): Promise<void> {
    if (!(await this.index.image(imageId)))
      throw new SandboxError("not_found", "No image with that id.");
    const [sandboxes, snapshots] = await Promise.all([
      this.listSandboxes(),
      this.index.snapshots(),
    ]);
    if ([...sandboxes, ...snapshots].some((s) => s.imageId === imageId))
      throw new SandboxError("image_in_use", "A sandbox or a snapshot still stands on that image.");
    await this.options.store.delete([KEYS.imageRecord(imageId), KEYS.imageArchive(imageId)]);
  }

  /** Starts a container, unpacks the image (and the snapshot's changes) into it, starts its agent. */
  async createSandbox(input: CreateSandboxRequest): Promise<Sandbox> {
    const request = CreateSandboxRequestSchema.parse(input);
    const snapshot =
      "snapshotId" in request.from ? await this.index.snapshot(request.from.snapshotId) : null;
    if ("snapshotId" in request.from && !snapshot)
      throw new SandboxError("not_found", "No snapshot with that id.");
    const imageId = snapshot ? snapshot.imageId : (request.from as { imageId: string }).imageId;
    const image = await this.index.image(imageId);
    if (!image) {
      throw snapshot
        ? new SandboxError(
            "snapshot_image_mismatch",
            `The snapshot's image ${imageId} is gone; a snapshot restores only onto its own image.`,
          )
        : new SandboxError("not_found", "No image with that id.");
    }
    const limits = request.limits ?? image.limits ?? LimitsSchema.parse({});
    const sandbox: Sandbox = {
      id: newId("sbx"),
      imageId,
      restoredFrom: snapshot?.id ?? null,
      state: "running",
      createdAt: this.now(),
      limits,
    };
    const stub = this.options.containers.get(sandbox.id);
    const path = `/v1/sandboxes/${sandbox.id}`;
    try {
      await startContainer(stub, {
        role: "sandbox",
        internet: false,
        instance: instanceFor(limits),
        sandbox,
      });
      const archive = await this.options.store.get(KEYS.imageArchive(imageId));
      if (!archive)
        throw new SandboxError("unavailable", `The archive of image ${imageId} is missing.`);
      await (
        await call(stub, "PUT", `${path}/workspace`, { stream: archive.body, length: archive.size })
      ).body?.cancel();
      if (snapshot) {
        const changes = await this.options.store.get(KEYS.snapshotArchive(snapshot.id));
        if (!changes)
          throw new SandboxError("not_found", `The archive of snapshot ${snapshot.id} is missing.`);
        await (
          await call(stub, "PUT", `${path}/changes`, { stream: changes.body, length: changes.size })
        ).body?.cancel();
      }
      await (
        await call(stub, "POST", `${path}/agent`, { json: { env: request.env, limits } })
      ).body?.cancel();
      await this.index.putRecord(KEYS.sandboxRecord(sandbox.id), sandbox);
      return sandbox;
    } catch (error) {
      await stopContainer(stub).catch(() => {});
      throw error;
    }
  }

  async getSandbox(sandboxId: string): Promise<Sandbox | null> {
    if (!SANDBOX_ID.test(sandboxId)) return null;
    const answer = await call(this.options.containers.get(sandboxId), "GET", "/container").catch(
      (error: unknown) => {
        if (error instanceof SandboxError && error.code === "not_found") return null;
        throw error;
      },
    );
    if (!answer) return null;
    const state = ContainerStateSchema.parse(await answer.json());
    if (state.role !== "sandbox" || !state.sandbox) return null;
    return { ...state.sandbox, state: state.running ? "running" : "exited" };
  }

  /** Every indexed sandbox its object still knows; records of forgotten ones are dropped. */
  async listSandboxes(): Promise<Sandbox[]> {
    const indexed = await this.index.sandboxes();
    const live = await Promise.all(indexed.map((s) => this.getSandbox(s.id).catch(() => s)));
    const gone = indexed.filter((_, i) => live[i] === null).map((s) => KEYS.sandboxRecord(s.id));
    await this.options.store.delete(gone);
    return live.filter((s): s is Sandbox => s !== null);
  }

  async destroySandbox(sandboxId: string): Promise<void> {
    if (!SANDBOX_ID.test(sandboxId))
      throw new SandboxError("not_found", "No sandbox with that id.");
    await this.options.store.delete([KEYS.sandboxRecord(sandboxId)]);
    await (
      await call(this.options.containers.get(sandboxId), "DELETE", "/container")
    ).body?.cancel();
  }

  /** Always null: a container's filesystem goes with the container, so a sandbox whose container
   * died has nothing left to save; it is replaced from its session's last snapshot. */
  async rescued(_sandboxId: string): Promise<Rescue | null> {
    return null;
  }

  exec(
    sandboxId: string,
    request: ExecRequest,
    options?: { onOutput?: OutputListener; signal?: AbortSignal },
  ) {
    return this.host.exec(sandboxId, request, options);
  }

  readFile(sandboxId: string, path: string, options?: { maxBytes?: number }) {
    return this.host.readFile(sandboxId, path, options);
  }

  writeFile(sandboxId: string, path: string, data: Uint8Array, options?: { mode?: number }) {
    return this.host.writeFile(sandboxId, path, data, options);
  }

  async exposePort(sandboxId: string, port: number) {
    await this.host.exposePort(sandboxId, port);
    return { port, url: `${this.options.portBaseUrl}/${encodeURIComponent(sandboxId)}/${port}/` };
  }

  /** Straight to the sandbox's object, which relays to the server in its container; no round
   * trip through the Worker's public port route. */
  async fetchPort(sandboxId: string, port: number, request: Request): Promise<Response> {
    if (!SANDBOX_ID.test(sandboxId))
      throw new SandboxError("not_found", "No sandbox with that id.");
    const { pathname, search } = new URL(request.url);
    const inner = new Request(
      `http://container/v1/sandboxes/${sandboxId}/ports/${port}${pathname}${search}`,
      request,
    );
    inner.headers.delete("authorization");
    let response: Response;
    try {
      response = await this.options.containers.get(sandboxId).fetch(inner);
    } catch (error) {
      if (request.signal.aborted) throw error;
      throw new SandboxError("unavailable", `The container did not answer: ${String(error)}`);
    }
    return portAnswer(response);
  }

  syncWorkspace(sandboxId: string, request: GitSyncRequestInput) {
    return syncInContainers(this.gitContext(), sandboxId, request);
  }

  pushWorkspace(sandboxId: string, request: GitPushRequestInput) {
    return pushFromContainers(this.gitContext(), sandboxId, request);
  }

  /** The commit a remote branch points at (the cron asks). */
  resolveBranch(request: ResolveBranchRequest): Promise<string> {
    return resolveBranchInContainers(this.options.containers, request);
  }

  async snapshot(sandboxId: string): Promise<Snapshot> {
    const sandbox = await this.running(sandboxId);
    const archive = await call(
      this.options.containers.get(sandboxId),
      "POST",
      `/v1/sandboxes/${sandboxId}/changes`,
    );
    const id = newId("snp");
    const sizeBytes = lengthOf(archive);
    await this.options.store.put(KEYS.snapshotArchive(id), archive.body!, sizeBytes);
    const snapshot: Snapshot = {
      id,
      sandboxId,
      imageId: sandbox.imageId,
      createdAt: this.now(),
      sizeBytes: sizeBytes ?? (await this.options.store.get(KEYS.snapshotArchive(id)))?.size ?? 0,
    };
    await this.index.putRecord(KEYS.snapshotRecord(id), snapshot);
    return snapshot;
  }

  listSnapshots() {
    return this.index.snapshots();
  }

  async deleteSnapshot(snapshotId: string): Promise<void> {
    if (!(await this.index.snapshot(snapshotId)))
      throw new SandboxError("not_found", "No snapshot with that id.");
    await this.options.store.delete([
      KEYS.snapshotRecord(snapshotId),
      KEYS.snapshotArchive(snapshotId),
    ]);
  }

  private gitContext() {
    return {
      containers: this.options.containers,
      index: this.index,
      imageOf: async (sandboxId: string) => (await this.running(sandboxId)).imageId,
    };
  }

  private async running(sandboxId: string): Promise<Sandbox> {
    const sandbox = await this.getSandbox(sandboxId);
    if (!sandbox) throw new SandboxError("not_found", "No sandbox with that id.");
    if (sandbox.state !== "running")
      throw new SandboxError("sandbox_exited", "That sandbox has stopped; create a new one.");
    return sandbox;
  }
}
