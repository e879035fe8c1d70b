// Live sandboxes on this host: create (from an image or a snapshot), drive through the agent, destroy.
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { closeSync, openSync } from "node:fs";
import { chmod, chown, mkdir, rm, writeFile } from "node:fs/promises";
import type { Server } from "node:net";
import { availableParallelism } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { newId } from "../../protocol/ids.ts";
import type {
  CreateSandboxRequest,
  ExecRequest,
  ExecResult,
  Limits,
  Sandbox,
} from "../../protocol/sandbox-host.ts";
import {
  CreateSandboxRequestSchema,
  ExecRequestSchema,
  LimitsSchema,
} from "../../protocol/sandbox-host.ts";
import { SandboxError, type FileRead, type OutputListener } from "../../sandbox/provider.ts";
import { AgentChannel, AgentGoneError } from "../agent-channel.ts";
import { agentExecRequest, execResult } from "../agent-exec.ts";
import type { HostConfig } from "../config.ts";
import { asOwner, removeTree, type HostMode } from "../host-mode.ts";
import type { ImageStore } from "../images/image-store.ts";
import { launchCommand } from "../isolation/bwrap.ts";
import type { CgroupAdapter } from "../isolation/cgroups.ts";
import { mountOverlay, unmount } from "../isolation/overlay.ts";
import type { HostPaths } from "../paths.ts";
import { runOrThrow } from "../run.ts";
import type { SnapshotStore } from "../snapshots/snapshot-store.ts";
import { withTimeout } from "../with-timeout.ts";
import { forwardControlSocket } from "./control-socket.ts";
import type { PortTarget } from "./port-proxy.ts";

const AGENT_PATH = fileURLToPath(new URL("../agent/agent.pl", import.meta.url));
/** How long a new sandbox's agent has to answer its first ping. */
const START_TIMEOUT_MS = 10_000;
/** The largest file read through the API. */
const MAX_READ_BYTES = 16 * 1024 * 1024;
/** A rootless sandbox owns its control folder on the host, so the folder is read-only to it and
 * these folders are mounted on their own: it can neither write to the inbox nor rename any. */
const ROOTLESS_CONTROL_MOUNTS = { readOnly: ["inbox"], writable: ["ports", "outbox"] };

interface LiveSandbox {
  info: Sandbox;
  dir: string;
  child: ChildProcess;
  channel: AgentChannel;
  control: Server | null;
  /** Ports the agent relays; see port-proxy.ts. */
  ports: Set<number>;
  /** What this sandbox's agent sends first on each relayed connection. */
  greeting: string;
}

/** What the manager needs from the rest of the host. */
export interface SandboxManagerDeps {
  config: HostConfig;
  mode: HostMode;
  paths: HostPaths;
  images: ImageStore;
  snapshots: SnapshotStore;
  cgroups: CgroupAdapter;
  log: (message: string, fields?: Record<string, unknown>) => void;
}

/** A stopped sandbox's layer, to save before its folder goes. */
export interface SandboxLayer {
  sandboxId: string;
  imageId: string;
  /** The upper layer (the whole workspace with copied workspaces). */
  dir: string;
}

/** What stopping the host did with each sandbox that was running. */
export interface StopOutcome {
  saved: string[];
  unsaved: { sandboxId: string; reason: string }[];
}

const toBytes = (limits: Limits) => ({
  memoryBytes: limits.memoryMiB * 1024 * 1024,
  pids: limits.pids,
  cpuMillis: limits.cpuMillis,
});

export class SandboxManager {
  private readonly live = new Map<string, LiveSandbox>();
  /** Sandboxes being started, so that shutdown waits for them instead of leaving their mounts behind. */
  private readonly creating = new Set<Promise<Sandbox>>();
  private closing = false;

  private readonly deps: SandboxManagerDeps;
  constructor(deps: SandboxManagerDeps) {
    this.deps = deps;
  }

  /** Image ids that live sandboxes stand on. */
  imagesInUse(): Set<string> {
    return new Set([...this.live.values()].map((s) => s.info.imageId));
  }

  list(): Sandbox[] {
    return [...this.live.values()].map((s) => s.info);
  }

  get(sandboxId: string): Sandbox | null {
    return this.live.get(sandboxId)?.info ?? null;
  }

  /** Starts a sandbox over an image, or over the image of a snapshot with the snapshot's changes. */
  async create(input: CreateSandboxRequest): Promise<Sandbox> {
    if (this.closing) throw new SandboxError("unavailable", "The sandbox host is shutting down.");
    const creating = this.start(input);
    this.creating.add(creating);
    try {
      return await creating;
    } finally {
      this.creating.delete(creating);
    }
  }

  private async start(input: CreateSandboxRequest): Promise<Sandbox> {
    const request = CreateSandboxRequestSchema.parse(input);
    const { paths, config, images, snapshots, cgroups } = this.deps;
    const snapshot =
      "snapshotId" in request.from ? await snapshots.get(request.from.snapshotId) : null;
    if ("snapshotId" in request.from && !snapshot)
      throw new SandboxError("not_found", "No snapshot with that id on this host.");
    const imageId = snapshot ? snapshot.imageId : (request.from as { imageId: string }).imageId;
    const image = await images.get(imageId);
    if (!image) {
      throw new SandboxError(
        snapshot ? "snapshot_image_mismatch" : "not_found",
        snapshot
          ? `The snapshot's image ${imageId} is gone; a snapshot restores only onto its own image.`
          : "No image with that id on this host.",
      );
    }
    const limits: Limits = request.limits ?? image.limits ?? LimitsSchema.parse({});
    const id = newId("sbx");
    const dir = paths.sandbox(id);
    const [upper, work, merged, control] = ["upper", "work", "merged", "control"].map((name) =>
      join(dir, name),
    ) as [string, string, string, string];
    const { mode } = this.deps;
    const uid = config.sandboxUid;
    // A rootless host's folders are its own user's already, which its sandboxes run as.
    const own = (path: string) => (mode.rootless ? Promise.resolve() : chown(path, uid, uid));
    // Only root and the sandbox user may enter: other host users must not reach its files.
    await mkdir(dir, { recursive: true, mode: 0o700 });
    await own(dir);
    for (const folder of [upper, work, merged]) {
      await mkdir(folder);
      await own(folder);
    }
    // As root, the control folder (bound at /run/tandem) belongs to root, so the sandbox cannot
    // rename or replace what the host reads and writes there; only ports/ and outbox/ are the
    // sandbox's. Rootless, the folders it uses are mounts of their own (ROOTLESS_CONTROL_MOUNTS).
    await mkdir(control, { mode: 0o755 });
    for (const name of ["ports", "outbox"]) {
      await mkdir(join(control, name));
      await own(join(control, name));
    }
    await mkdir(join(control, "inbox"), { mode: 0o755 });
    const lower = paths.imageWorkspace(imageId);
    // A rootless overlay is mounted by the launch itself, inside the sandbox's own namespaces.
    const overlay = mode.workspaces === "overlay";
    try {
      if (snapshot) await snapshots.restoreInto(snapshot.id, upper);
      else if (!overlay) await copyWorkspace(mode, lower, upper);
      if (overlay && !mode.rootless) await mountOverlay({ lower, upper, work, merged });
      const cgroup = await cgroups.create(id, toBytes(limits));
      const controlServer = config.controlPlane
        ? await forwardControlSocket(join(control, "control.sock"), config.controlPlane)
        : null;
      // Read-only to its owner too; the sandbox can chmod it back, but what the host uses in it
      // are separate mounts there (ROOTLESS_CONTROL_MOUNTS) and the socket, which the host
      // listens on and never connects to.
      if (mode.rootless) await chmod(control, 0o555);
      const env = {
        ...request.env,
        ...(controlServer ? { TANDEM_CONTROL_SOCKET: "/run/tandem/control.sock" } : {}),
      };
      const seccompFd = openSync(paths.seccompFilter, "r");
      let child: ChildProcess;
      try {
        const launch = launchCommand({
          workspace: overlay ? merged : upper,
          uid,
          gid: uid,
          rootless: mode.rootless,
          ...(overlay && mode.rootless ? { overlay: { lower, upper, work } } : {}),
          ...(mode.rootless ? { controlMounts: ROOTLESS_CONTROL_MOUNTS } : {}),
          env,
          hostname: "sandbox",
          controlSocketDir: control,
          seccompFd: 3,
          etcDir: paths.etc,
          agentPath: AGENT_PATH,
          cgroup,
        });
        child = spawn(launch.command, launch.args, { stdio: ["pipe", "pipe", "pipe", seccompFd] });
      } finally {
        closeSync(seccompFd);
      }
      child.stderr!.on("data", (chunk: Buffer) =>
        this.deps.log("sandbox.stderr", { sandboxId: id, text: chunk.toString().slice(0, 2_000) }),
      );
      const channel = new AgentChannel({
        stdin: child.stdin!,
        stdout: child.stdout!,
        log: (m) => this.deps.log(m, { sandboxId: id }),
      });
      const info: Sandbox = {
        id,
        imageId,
        restoredFrom: snapshot?.id ?? null,
        state: "running",
        createdAt: Date.now(),
        limits,
      };
      const entry: LiveSandbox = {
        info,
        dir,
        child,
        channel,
        control: controlServer,
        ports: new Set(),
        greeting: randomBytes(16).toString("hex"),
      };
      this.live.set(id, entry);
      child.on("exit", (code, signal) => {
        entry.info = { ...entry.info, state: "exited" };
        this.deps.log("sandbox.exited", { sandboxId: id, code, signal });
      });
      await withTimeout(channel.ping(), START_TIMEOUT_MS, "the sandbox did not start in time");
      // Root's alone: after a crash, reconciling reads it to rescue the sandbox onto its image.
      await writeFile(paths.sandboxRecord(id), JSON.stringify(info), { mode: 0o600 });
      return info;
    } catch (error) {
      await this.destroy(id).catch(() => {});
      await this.cleanUp(id, dir);
      if (error instanceof SandboxError) throw error;
      throw new SandboxError(
        "unavailable",
        `Could not start the sandbox: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }

  /** Stops a sandbox and removes everything it had on the host. */
  async destroy(sandboxId: string): Promise<void> {
    const entry = this.live.get(sandboxId);
    if (!entry) throw new SandboxError("not_found", "No sandbox with that id on this host.");
    this.live.delete(sandboxId);
    halt(entry);
    await this.cleanUp(sandboxId, entry.dir);
  }

  /** Runs a command in the sandbox through its agent. */
  async exec(
    sandboxId: string,
    input: ExecRequest,
    onOutput?: OutputListener,
    signal?: AbortSignal,
  ): Promise<ExecResult> {
    const request = ExecRequestSchema.parse(input);
    const entry = this.running(sandboxId);
    const started = entry.channel.exec(agentExecRequest(request, "/workspace"), onOutput);
    const kill = () => void entry.channel.kill(started.id, "KILL").catch(() => {});
    signal?.addEventListener("abort", kill, { once: true });
    try {
      return execResult(await started.done);
    } catch (error) {
      throw this.agentFailure(error);
    } finally {
      signal?.removeEventListener("abort", kill);
    }
  }

  async readFile(sandboxId: string, path: string, maxBytes = MAX_READ_BYTES): Promise<FileRead> {
    const entry = this.running(sandboxId);
    try {
      return await entry.channel.read(inWorkspace(path), Math.min(maxBytes, MAX_READ_BYTES));
    } catch (error) {
      throw this.agentFailure(error);
    }
  }

  async writeFile(sandboxId: string, path: string, data: Uint8Array, mode?: number): Promise<void> {
    const entry = this.running(sandboxId);
    try {
      await entry.channel.write(inWorkspace(path), data, {
        parents: true,
        ...(mode !== undefined ? { mode } : {}),
      });
    } catch (error) {
      throw this.agentFailure(error);
    }
  }

  /** Makes the agent relay the port's server to the host; exposing an exposed port is harmless. */
  async exposePort(sandboxId: string, port: number): Promise<void> {
    const entry = this.running(sandboxId);
    try {
      await entry.channel.expose(port, entry.greeting);
    } catch (error) {
      throw this.agentFailure(error);
    }
    entry.ports.add(port);
  }

  /** Where the host reaches an exposed port of a running sandbox. */
  portTarget(sandboxId: string, port: number): PortTarget {
    const entry = this.running(sandboxId);
    if (!entry.ports.has(port))
      throw new SandboxError(
        "not_found",
        `Port ${port} of that sandbox is not exposed; POST /v1/sandboxes/${sandboxId}/ports first.`,
      );
    const socketPath = join(entry.dir, "control", "ports", `${port}.sock`);
    return { port, socketPath, greeting: entry.greeting };
  }

  /** The host folder bound at /run/tandem in a running sandbox. */
  controlDir(sandboxId: string): string {
    return join(this.running(sandboxId).dir, "control");
  }

  /** The upper layer of a sandbox, for snapshots. */
  upperLayer(sandboxId: string): { dir: string; imageId: string } {
    const entry = this.running(sandboxId);
    return { dir: join(entry.dir, "upper"), imageId: entry.info.imageId };
  }

  /** Stops every sandbox (host shutdown), after letting sandboxes being started finish starting. */
  async destroyAll(): Promise<void> {
    this.closing = true;
    await Promise.allSettled([...this.creating]);
    await Promise.all([...this.live.keys()].map((id) => this.destroy(id).catch(() => {})));
  }

  /**
   * Stops every sandbox as a crash of the host would, and saves each one's layer before its
   * folder goes. Sandboxes being started get to finish starting first. A sandbox not saved by
   * `signal` (the host's time to stop is up) keeps its folder and record, so that the next
   * start rescues it as after a crash.
   */
  async stopAll(
    save: (layer: SandboxLayer, signal: AbortSignal) => Promise<void>,
    signal: AbortSignal,
  ): Promise<StopOutcome> {
    this.closing = true;
    await Promise.race([Promise.allSettled([...this.creating]), aborted(signal)]);
    const entries = [...this.live.values()];
    this.live.clear();
    for (const entry of entries) halt(entry);
    const outcome: StopOutcome = { saved: [], unsaved: [] };
    const pending = new Map(
      entries.map((e) => [e.info.id, "the host's time to stop ran out first"]),
    );
    const stopOne = async (entry: LiveSandbox) => {
      const sandboxId = entry.info.id;
      await Promise.race([exited(entry.child), aborted(signal)]);
      if (signal.aborted) return;
      try {
        await save(
          { sandboxId, imageId: entry.info.imageId, dir: join(entry.dir, "upper") },
          signal,
        );
      } catch (error) {
        if (!signal.aborted) pending.set(sandboxId, `saving its layer failed: ${String(error)}`);
        return;
      }
      pending.delete(sandboxId);
      outcome.saved.push(sandboxId);
      // Saved: without its record, a folder a cut-short clean-up leaves is not rescued again.
      await rm(this.deps.paths.sandboxRecord(sandboxId), { force: true });
      await this.cleanUp(sandboxId, entry.dir).catch(() => {});
    };
    // A few at a time: each save is a tar and a zstd process.
    const queue = [...entries];
    const workers = Array.from({ length: Math.max(2, availableParallelism()) }, async () => {
      for (let entry = queue.shift(); entry; entry = queue.shift()) await stopOne(entry);
    });
    await Promise.race([Promise.all(workers), aborted(signal)]);
    for (const [sandboxId, reason] of pending) outcome.unsaved.push({ sandboxId, reason });
    return outcome;
  }

  private running(sandboxId: string): LiveSandbox {
    const entry = this.live.get(sandboxId);
    if (!entry) throw new SandboxError("not_found", "No sandbox with that id on this host.");
    if (entry.info.state !== "running")
      throw new SandboxError("sandbox_exited", "That sandbox has stopped; create a new one.");
    return entry;
  }

  private agentFailure(error: unknown): SandboxError {
    if (error instanceof SandboxError) return error;
    if (error instanceof AgentGoneError)
      return new SandboxError("sandbox_exited", "The sandbox stopped while the request ran.");
    const message = error instanceof Error ? error.message : String(error);
    return new SandboxError("invalid_input", message);
  }

  private async cleanUp(sandboxId: string, dir: string): Promise<void> {
    await unmount(join(dir, "merged")).catch((error: unknown) =>
      this.deps.log("sandbox.unmount.failed", { sandboxId, error: String(error) }),
    );
    await this.deps.cgroups.remove(sandboxId).catch(() => {});
    await removeTree(this.deps.mode, dir);
  }
}

/** Kills a sandbox's process tree (bwrap dies, and its pid namespace with it) and its socket. */
function halt(entry: LiveSandbox): void {
  entry.control?.close();
  entry.child.stdin?.end();
  entry.child.kill("SIGKILL");
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once("exit", () => resolve()));
}

function aborted(signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) =>
    signal.addEventListener("abort", () => resolve(), { once: true }),
  );
}

/** A sandbox's own full copy of its image, for hosts without copy-on-write workspaces. Rootless,
 * the copies are the host user's whoever owned the originals: its namespace maps no other. */
async function copyWorkspace(mode: HostMode, image: string, into: string): Promise<void> {
  const owner = mode.rootless ? ["--no-preserve=ownership"] : [];
  const cp = ["cp", "-a", ...owner, "--reflink=auto", `${image}/.`, into];
  const [command, ...args] = asOwner(mode, cp);
  await runOrThrow(command!, args);
}

/** A path inside the sandbox: relative paths are relative to /workspace. */
function inWorkspace(path: string): string {
  return path.startsWith("/") ? path : `/workspace/${path}`;
}
