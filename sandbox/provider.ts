// The port every sandbox provider implements: images, sandboxes, commands, files, snapshots.
import type {
  BuildEvent,
  BuildImageRequest,
  Capabilities,
  CreateSandboxRequest,
  ExecRequest,
  ExecResult,
  ExposedPort,
  HostErrorCode,
  Image,
  Rescue,
  Sandbox,
  Snapshot,
  GitPushResult,
  GitSyncResult,
  GitPushRequestSchema,
  GitSyncRequestSchema,
} from "../protocol/sandbox-host.ts";
import type { z } from "zod";

/** A sync request as callers write it (defaults filled by the host). */
export type GitSyncRequestInput = z.input<typeof GitSyncRequestSchema>;
/** A push request as callers write it (defaults filled by the host). */
export type GitPushRequestInput = z.input<typeof GitPushRequestSchema>;

/** A failure of a provider call, with a stable code. */
export class SandboxError extends Error {
  override readonly name = "SandboxError";
  readonly code: HostErrorCode;
  constructor(code: HostErrorCode, message: string) {
    super(message);
    this.code = code;
  }
}

/** A file read: missing files are a value, not an error. */
export type FileRead =
  { found: false } | { found: true; data: Uint8Array; size: number; truncated: boolean };

/** Streamed output of a running command. */
export type OutputListener = (stream: "stdout" | "stderr", data: Uint8Array) => void;

/** Where sandboxes come from and how they are driven. */
export interface SandboxProvider {
  readonly name: string;
  capabilities(): Promise<Capabilities>;

  /** Builds an image; build logs stream to `onEvent`. Fails with `build_failed` and the reason. */
  buildImage(request: BuildImageRequest, onEvent?: (event: BuildEvent) => void): Promise<Image>;
  listImages(): Promise<Image[]>;
  /** Deletes an image; refused with `image_in_use` while a sandbox or snapshot refers to it. */
  deleteImage(imageId: string): Promise<void>;

  createSandbox(request: CreateSandboxRequest): Promise<Sandbox>;
  /** The sandbox, or null when the host does not know it (connect to an existing one). */
  getSandbox(sandboxId: string): Promise<Sandbox | null>;
  listSandboxes(): Promise<Sandbox[]>;
  destroySandbox(sandboxId: string): Promise<void>;
  /** What was saved of a sandbox that stopped because its host crashed: a snapshot of its changes
   * up to the moment it stopped, on its image. Null when nothing was saved (a destroyed sandbox,
   * an unknown id, a provider whose sandboxes keep nothing when they die). */
  rescued(sandboxId: string): Promise<Rescue | null>;

  /** Runs argv; the provider kills the whole process group at the timeout. Aborting `signal` kills it too. */
  exec(
    sandboxId: string,
    request: ExecRequest,
    options?: { onOutput?: OutputListener; signal?: AbortSignal },
  ): Promise<ExecResult>;
  readFile(sandboxId: string, path: string, options?: { maxBytes?: number }): Promise<FileRead>;
  writeFile(
    sandboxId: string,
    path: string,
    data: Uint8Array,
    options?: { mode?: number },
  ): Promise<void>;

  /** Makes a server listening on the sandbox's loopback `port` reachable under the returned URL
   * (any method and WebSocket upgrades, with the provider's credentials). Calling it again for
   * the same port is harmless. A request while nothing listens fails with port_unreachable. */
  exposePort(sandboxId: string, port: number): Promise<ExposedPort>;
  /** Forwards `request` (any method, its body streamed, WebSocket upgrades included; the path and
   * query of its URL are kept) to the server on an exposed port and resolves with that server's
   * answer, streamed, redirects not followed. The request's Authorization never reaches the
   * server. Fails with not_found (unknown sandbox, or the port is not exposed), sandbox_exited,
   * port_unreachable (nothing listens), or unavailable (the provider cannot be reached). */
  fetchPort(sandboxId: string, port: number, request: Request): Promise<Response>;

  /** Brings the workspace to the remote branch's latest commit; the credential never enters the sandbox. */
  syncWorkspace(sandboxId: string, request: GitSyncRequestInput): Promise<GitSyncResult>;
  /** Publishes the workspace's work branch to a remote branch; the credential never enters the sandbox. */
  pushWorkspace(sandboxId: string, request: GitPushRequestInput): Promise<GitPushResult>;

  /** Captures the workspace's changes since the image; restorable only onto the same image. */
  snapshot(sandboxId: string): Promise<Snapshot>;
  listSnapshots(): Promise<Snapshot[]>;
  deleteSnapshot(snapshotId: string): Promise<void>;
}
