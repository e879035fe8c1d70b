// The session's previews: the ports its sandbox publishes to the participants' browsers, who may
// open them, and the exposure of each port on whichever sandbox the session has now.
import type { PreviewPort, PublishedPreview } from "../../agent/tools/expose-port.ts";
import { fail, ok, type Result } from "../../protocol/errors.ts";
import type { Person } from "../../protocol/events.ts";
import {
  defaultLabel,
  previewOrigin,
  type ExposePortBody,
  type Preview,
  type PreviewDomain,
} from "../../protocol/previews.ts";
import { SandboxError } from "../../sandbox/provider.ts";
import type { PreviewRow, PreviewStore } from "./preview-store.ts";
import { countsAsActivity, mayOpen, mayPublish, servingSandbox } from "./preview-rules.ts";
import type { RoomContext } from "./room-context.ts";
import type { SessionSandbox } from "./session-sandbox.ts";

/** How long the agent's check that a server answers may take before the port is published anyway. */
const PROBE_TIMEOUT_MS = 5_000;

/** What previews need besides the room and its sandbox. */
export interface PreviewDeps {
  store: PreviewStore;
  /** Where previews are served (PREVIEW_URL); null when the deployment serves none. */
  domain: PreviewDomain | null;
}

/** Who publishes a port: a person, or the agent working on a person's prompt. */
type Publisher =
  { by: "person"; person: Person } | { by: "agent"; person: Person; messageId: string };

/** The room's part that publishes ports as previews and answers who may reach them. */
export class SessionPreviews {
  private readonly room: RoomContext;
  private readonly sandbox: SessionSandbox;
  private readonly deps: PreviewDeps;

  constructor(room: RoomContext, sandbox: SessionSandbox, deps: PreviewDeps) {
    this.room = room;
    this.sandbox = sandbox;
    this.deps = deps;
    sandbox.onReady((sandboxId) => this.exposeAllOn(sandboxId));
  }

  /** Whether this deployment serves previews at all. */
  get enabled(): boolean {
    return this.deps.domain !== null;
  }

  /** The published ports, as any participant sees them. */
  list(userId: string): Result<Preview[]> {
    const allowed = this.room.authorize(userId, "read");
    if (!allowed.ok) return allowed;
    return ok(this.deps.store.ports().map((row) => this.view(row)));
  }

  /** Publishes a port for a person (owners and collaborators); publishing it again renames it. */
  async expose(
    userId: string,
    body: ExposePortBody,
  ): Promise<Result<{ preview: Preview; created: boolean }>> {
    const allowed = this.room.authorize(userId, "expose_port");
    if (!allowed.ok) return allowed;
    return this.publish(
      { by: "person", person: allowed.value.person },
      body.port,
      body.label ?? null,
    );
  }

  /** Closes a port's preview (owners and collaborators): browsers can no longer reach it. */
  close(userId: string, port: number): Result<{ port: number }> {
    const allowed = this.room.authorize(userId, "expose_port");
    if (!allowed.ok) return allowed;
    if (!this.deps.store.removePort(port))
      return fail("not_found", `Port ${port} is not published in this session.`);
    this.room.record({ type: "preview.closed", actor: allowed.value.person, data: { port } });
    return ok({ port });
  }

  /** The agent's way to publish ports while it works on `author`'s prompt. */
  forTurn(author: Person, messageId: string): PreviewPort {
    return {
      expose: (port, label, signal) => this.exposeForAgent(author, messageId, port, label, signal),
    };
  }

  /** Whether a person may be signed in to a preview (the open route asks before it links there). */
  grant(userId: string, port: number): Result<null> {
    if (!this.deps.domain)
      return fail("misconfigured", "Previews are not configured here: set PREVIEW_URL.");
    const participant = this.room.store.meta() ? this.room.store.participant(userId) : undefined;
    return mayOpen(participant?.role ?? null, port, this.deps.store.port(port) !== undefined);
  }

  /** Signs a person in to a preview with a link, which works once until it expires. */
  redeem(userId: string, port: number, nonce: string, expiresAt: number): Result<null> {
    const allowed = this.grant(userId, port);
    if (!allowed.ok) return allowed;
    if (!this.deps.store.useGrant(nonce, expiresAt, this.room.now()))
      return fail(
        "unauthenticated",
        "This preview link was used already; open the preview from Tandem again.",
      );
    return ok(null);
  }

  /**
   * Where one request of a signed-in person to a preview goes: the sandbox that serves it, with
   * the port exposed there. Asked on every request, so access ends as soon as a person leaves
   * or the port is closed. `again` exposes the port anew (the provider said it is not).
   */
  async target(
    userId: string,
    port: number,
    options: { again?: boolean } = {},
  ): Promise<Result<{ sandboxId: string }>> {
    const allowed = this.grant(userId, port);
    if (!allowed.ok) return allowed;
    const row = this.room.store.sandbox();
    const serving = servingSandbox({ sandboxId: row.sandboxId, status: row.status });
    if (!serving.ok) return serving;
    const { sandboxId } = serving.value;
    if (options.again || this.deps.store.port(port)?.sandboxId !== sandboxId) {
      const exposed = await this.exposeOn(sandboxId, port);
      if (!exposed.ok) return exposed;
    }
    if (countsAsActivity(row.lastActivityAt, this.room.now())) this.sandbox.touch();
    return ok({ sandboxId });
  }

  private async exposeForAgent(
    author: Person,
    messageId: string,
    port: number,
    label: string | null,
    signal: AbortSignal,
  ): Promise<Result<PublishedPreview>> {
    const ready = await this.sandbox.whenExists(signal);
    if (!ready.ok) return fail("unavailable", `The session has no sandbox: ${ready.reason}`);
    const provider = this.sandbox.provider!;
    const exposed = await this.exposeOn(ready.sandboxId, port, { record: false });
    if (!exposed.ok) return exposed;
    let answered = true;
    try {
      const probe = await provider.fetchPort(
        ready.sandboxId,
        port,
        new Request("http://preview/", { signal: AbortSignal.any([signal, timeout()]) }),
      );
      await probe.body?.cancel();
    } catch (error) {
      if (error instanceof SandboxError && error.code === "port_unreachable")
        return fail(
          "port_unreachable",
          `Nothing listens on port ${port} in the sandbox yet. Start the server detached so that it outlives its command (setsid -f … > /tmp/server.log 2>&1), make sure it listens on 127.0.0.1 or 0.0.0.0 at port ${port}, wait until its log says it is ready, then call expose_port again.`,
        );
      if (signal.aborted) return fail("conflict", "The turn was stopped.");
      if (error instanceof SandboxError)
        return fail("unavailable", `The sandbox could not reach port ${port}: ${error.message}`);
      // The probe's time ran out: something listens, but it is slow to answer its first request.
      answered = false;
    }
    const done = await this.publish(
      { by: "agent", person: author, messageId },
      port,
      label,
      ready.sandboxId,
    );
    if (!done.ok) return done;
    const { preview } = done.value;
    return ok({ port, label: preview.label, url: preview.url, answered });
  }

  /** Stores a port (new, or renamed) and tells the timeline; exposes it on a running sandbox. */
  private async publish(
    publisher: Publisher,
    port: number,
    label: string | null,
    exposedOn?: string,
  ): Promise<Result<{ preview: Preview; created: boolean }>> {
    if (!this.deps.domain)
      return fail("misconfigured", "Previews are not configured here: set PREVIEW_URL.");
    const store = this.deps.store;
    const before = mayPublish(store.ports().length, !store.port(port));
    if (!before.ok) return before;
    let sandboxId = exposedOn ?? null;
    if (!exposedOn) {
      const row = this.room.store.sandbox();
      const serving = servingSandbox({ sandboxId: row.sandboxId, status: row.status });
      if (serving.ok) {
        const exposed = await this.exposeOn(serving.value.sandboxId, port, { record: false });
        // A sandbox that just went away is no reason to refuse: the port is exposed on the next.
        if (exposed.ok) sandboxId = serving.value.sandboxId;
        else if (exposed.error.code !== "sandbox_not_running") return exposed;
      }
    }
    // Read again after the wait and written with no other in between, so two publishes of one
    // port at once leave one row and one event, however they interleave.
    const existing = store.port(port);
    const allowed = mayPublish(store.ports().length, !existing);
    if (!allowed.ok) return allowed;
    const name = label ?? existing?.label ?? defaultLabel(port);
    const row: PreviewRow = existing
      ? { ...existing, label: name, sandboxId }
      : {
          port,
          label: name,
          by: publisher.by,
          exposedBy: publisher.person.userId,
          messageId: publisher.by === "agent" ? publisher.messageId : null,
          exposedAt: this.room.now(),
          sandboxId,
        };
    store.savePort(row);
    const preview = this.view(row);
    if (!existing || existing.label !== name) {
      this.room.record({
        type: "preview.exposed",
        actor: publisher.person,
        data: {
          port,
          label: name,
          url: preview.url,
          by: publisher.by,
          messageId: publisher.by === "agent" ? publisher.messageId : null,
        },
      });
    }
    return ok({ preview, created: !existing });
  }

  /** Asks the provider to expose `port` on `sandboxId`, and records it unless told not to. */
  private async exposeOn(
    sandboxId: string,
    port: number,
    options: { record?: boolean } = {},
  ): Promise<Result<null>> {
    const provider = this.sandbox.provider;
    if (!provider) return fail("sandbox_not_running", "No sandbox provider is configured.");
    try {
      await provider.exposePort(sandboxId, port);
    } catch (error) {
      const code = error instanceof SandboxError ? error.code : null;
      if (code === "not_found" || code === "sandbox_exited")
        return fail(
          "sandbox_not_running",
          "The session's sandbox has stopped; the next prompt brings it back. Start the server again then.",
        );
      return fail(
        "unavailable",
        `The sandbox could not expose port ${port}: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
    if (options.record !== false) this.deps.store.setExposedOn(port, sandboxId);
    return ok(null);
  }

  /** A new sandbox is ready: expose every published port on it, so previews keep working. */
  private async exposeAllOn(sandboxId: string): Promise<void> {
    for (const row of this.deps.store.ports()) {
      const exposed = await this.exposeOn(sandboxId, row.port);
      if (!exposed.ok)
        this.room.deps.log("preview.expose.failed", { port: row.port, error: exposed.error });
    }
  }

  private view(row: PreviewRow): Preview {
    const sessionId = this.room.store.meta()!.id;
    const domain = this.deps.domain;
    return {
      port: row.port,
      label: row.label,
      url: domain ? `${previewOrigin(domain, sessionId, row.port)}/` : "",
      by: row.by,
      exposedBy: row.exposedBy ? (this.room.store.person(row.exposedBy) ?? null) : null,
      exposedAt: row.exposedAt,
    };
  }
}

function timeout(): AbortSignal {
  return AbortSignal.timeout(PROBE_TIMEOUT_MS);
}
