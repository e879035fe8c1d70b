// Several sandbox hosts as one provider: images are built on every healthy host under one id, a
// new sandbox goes to the least-loaded healthy host that has its image, and a sandbox (with its
// snapshots) stays on the host it started on.
import { newId } from "../protocol/ids.ts";
import type {
  BuildEvent,
  BuildImageRequest,
  Capabilities,
  CreateSandboxRequest,
  ExecRequest,
  Image,
  Rescue,
  ResolveBranchRequest,
  Sandbox,
  Snapshot,
} from "../protocol/sandbox-host.ts";
import type { SandboxHostClient } from "./host-client.ts";
import {
  SandboxError,
  type GitPushRequestInput,
  type GitSyncRequestInput,
  type OutputListener,
  type SandboxProvider,
} from "./provider.ts";

/** One host of the fleet. */
export interface FleetMember {
  name: string;
  client: SandboxHostClient;
}

/** Calls every member, keeping the answers of those that answered. */
async function fromAll<T>(
  members: readonly FleetMember[],
  call: (m: FleetMember) => Promise<T>,
): Promise<{ member: FleetMember; value: T }[]> {
  const settled = await Promise.allSettled(
    members.map(async (member) => ({ member, value: await call(member) })),
  );
  return settled.flatMap((s) => (s.status === "fulfilled" ? [s.value] : []));
}

export class SandboxFleet implements SandboxProvider {
  readonly name = "sandbox-fleet";
  private readonly members: readonly FleetMember[];
  /** Which host holds a sandbox or a snapshot; filled on creation and on look-up. */
  private readonly placement = new Map<string, FleetMember>();

  constructor(members: readonly FleetMember[]) {
    if (members.length === 0) throw new Error("A sandbox fleet needs at least one host.");
    this.members = members;
  }

  async capabilities(): Promise<Capabilities> {
    const answers = await fromAll(this.members, (m) => m.client.capabilities());
    if (answers.length === 0)
      throw new SandboxError("unavailable", "No sandbox host of the fleet answers.");
    const all = answers.map((a) => a.value);
    const down = this.members
      .filter((m) => !answers.some((a) => a.member === m))
      .map((m) => `${m.name} does not answer`);
    return {
      provider: this.name,
      root: all.every((c) => c.root),
      isolation: "bubblewrap",
      limits: {
        memory: all.every((c) => c.limits.memory),
        pids: all.every((c) => c.limits.pids),
        cpu: all.every((c) => c.limits.cpu),
      },
      seccomp: all.every((c) => c.seccomp),
      network: all.every((c) => c.network === "control-plane-only") ? "control-plane-only" : "none",
      snapshots: all.every((c) => c.snapshots),
      missing: [
        ...answers.flatMap((a) => a.value.missing.map((m) => `${a.member.name}: ${m}`)),
        ...down,
      ],
    };
  }

  /** Builds the image on every answering host under one id; the first host's log is streamed. */
  async buildImage(
    request: BuildImageRequest,
    onEvent?: (event: BuildEvent) => void,
  ): Promise<Image> {
    const id = request.id ?? newId("img");
    const healthy = await this.healthy();
    const builds = await Promise.allSettled(
      healthy.map((member, index) =>
        member.client.buildImage({ ...request, id }, index === 0 ? onEvent : undefined),
      ),
    );
    const built = builds.find((b): b is PromiseFulfilledResult<Image> => b.status === "fulfilled");
    if (built) return built.value;
    const first = builds[0] as PromiseRejectedResult | undefined;
    throw first?.reason instanceof Error
      ? first.reason
      : new SandboxError("unavailable", "No sandbox host could build the image.");
  }

  async listImages(): Promise<Image[]> {
    const byId = new Map<string, Image>();
    for (const { value } of await fromAll(this.members, (m) => m.client.listImages()))
      for (const image of value) byId.set(image.id, image);
    return [...byId.values()].sort((a, b) => b.createdAt - a.createdAt);
  }

  async deleteImage(imageId: string): Promise<void> {
    const results = await Promise.allSettled(
      this.members.map((m) => m.client.deleteImage(imageId)),
    );
    const inUse = results.find(
      (r) =>
        r.status === "rejected" &&
        r.reason instanceof SandboxError &&
        r.reason.code === "image_in_use",
    );
    if (inUse) throw (inUse as PromiseRejectedResult).reason;
    if (results.every((r) => r.status === "rejected"))
      throw (results[0] as PromiseRejectedResult).reason;
  }

  /** From a snapshot: on the snapshot's host. From an image: on the least-loaded healthy host that has it. */
  async createSandbox(request: CreateSandboxRequest): Promise<Sandbox> {
    let member: FleetMember;
    if ("snapshotId" in request.from) {
      member = await this.locateSnapshot(request.from.snapshotId);
    } else {
      const imageId = request.from.imageId;
      const holders = await fromAll(this.members, async (m) =>
        (await m.client.listImages()).some((i) => i.id === imageId)
          ? (await m.client.listSandboxes()).length
          : null,
      );
      const candidates = holders
        .filter((h): h is { member: FleetMember; value: number } => h.value !== null)
        .sort((a, b) => a.value - b.value);
      if (candidates.length === 0)
        throw new SandboxError("not_found", "No healthy sandbox host has that image.");
      member = candidates[0]!.member;
    }
    const sandbox = await member.client.createSandbox(request);
    this.placement.set(sandbox.id, member);
    return sandbox;
  }

  async getSandbox(sandboxId: string): Promise<Sandbox | null> {
    const member = await this.locateSandbox(sandboxId).catch(() => null);
    return member ? member.client.getSandbox(sandboxId) : null;
  }

  async listSandboxes(): Promise<Sandbox[]> {
    return (await fromAll(this.members, (m) => m.client.listSandboxes())).flatMap((a) => a.value);
  }

  async destroySandbox(sandboxId: string): Promise<void> {
    await (await this.locateSandbox(sandboxId)).client.destroySandbox(sandboxId);
    this.placement.delete(sandboxId);
  }

  /** From the host the sandbox was on; when this fleet never placed it, from whichever host has it. */
  async rescued(sandboxId: string): Promise<Rescue | null> {
    const known = this.placement.get(sandboxId);
    const rescue = known
      ? { member: known, value: await known.client.rescued(sandboxId) }
      : (await fromAll(this.members, (m) => m.client.rescued(sandboxId))).find(
          (a) => a.value !== null,
        );
    if (!rescue?.value) return null;
    // The rescue restores on the host that saved it.
    this.placement.set(rescue.value.snapshotId, rescue.member);
    return rescue.value;
  }

  async exec(
    sandboxId: string,
    request: ExecRequest,
    options?: { onOutput?: OutputListener; signal?: AbortSignal },
  ) {
    return (await this.locateSandbox(sandboxId)).client.exec(sandboxId, request, options);
  }

  async readFile(sandboxId: string, path: string, options?: { maxBytes?: number }) {
    return (await this.locateSandbox(sandboxId)).client.readFile(sandboxId, path, options);
  }

  async writeFile(sandboxId: string, path: string, data: Uint8Array, options?: { mode?: number }) {
    return (await this.locateSandbox(sandboxId)).client.writeFile(sandboxId, path, data, options);
  }

  async exposePort(sandboxId: string, port: number) {
    return (await this.locateSandbox(sandboxId)).client.exposePort(sandboxId, port);
  }

  async fetchPort(sandboxId: string, port: number, request: Request) {
    return (await this.locateSandbox(sandboxId)).client.fetchPort(sandboxId, port, request);
  }

  async syncWorkspace(sandboxId: string, request: GitSyncRequestInput) {
    return (await this.locateSandbox(sandboxId)).client.syncWorkspace(sandboxId, request);
  }

  async pushWorkspace(sandboxId: string, request: GitPushRequestInput) {
    return (await this.locateSandbox(sandboxId)).client.pushWorkspace(sandboxId, request);
  }

  async snapshot(sandboxId: string): Promise<Snapshot> {
    const member = await this.locateSandbox(sandboxId);
    const snapshot = await member.client.snapshot(sandboxId);
    this.placement.set(snapshot.id, member);
    return snapshot;
  }

  async listSnapshots(): Promise<Snapshot[]> {
    return (await fromAll(this.members, (m) => m.client.listSnapshots())).flatMap((a) => a.value);
  }

  async deleteSnapshot(snapshotId: string): Promise<void> {
    await (await this.locateSnapshot(snapshotId)).client.deleteSnapshot(snapshotId);
    this.placement.delete(snapshotId);
  }

  /** The first answering host reads branch heads. */
  async resolveBranch(request: ResolveBranchRequest): Promise<string> {
    const [member] = await this.healthy();
    if (!member) throw new SandboxError("unavailable", "No sandbox host of the fleet answers.");
    return member.client.resolveBranch(request);
  }

  private async healthy(): Promise<FleetMember[]> {
    return (await fromAll(this.members, (m) => m.client.listSandboxes())).map((a) => a.member);
  }

  private async locateSandbox(sandboxId: string): Promise<FleetMember> {
    const known = this.placement.get(sandboxId);
    if (known) return known;
    const found = (await fromAll(this.members, (m) => m.client.getSandbox(sandboxId))).find(
      (a) => a.value !== null,
    );
    if (!found)
      throw new SandboxError("not_found", "No sandbox with that id on any host of the fleet.");
    this.placement.set(sandboxId, found.member);
    return found.member;
  }

  private async locateSnapshot(snapshotId: string): Promise<FleetMember> {
    const known = this.placement.get(snapshotId);
    if (known) return known;
    const found = (await fromAll(this.members, (m) => m.client.listSnapshots())).find((a) =>
      a.value.some((s) => s.id === snapshotId),
    );
    if (!found)
      throw new SandboxError("not_found", "No snapshot with that id on any host of the fleet.");
    this.placement.set(snapshotId, found.member);
    return found.member;
  }
}
