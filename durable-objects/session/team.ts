// The session as a member of a team of sessions: the children it starts, the parent that started
// it, and its mailbox. Other Session objects are reached through the LinkedSessions port.
import type { TeamPort, SpawnRequest } from "../../agent/tools/team/port.ts";
import { sleep } from "../../agent/model.ts";
import { spawnRefusal, type TeamLimits } from "../../orchestration/limits.ts";
import {
  capSummary,
  childName,
  memberState,
  resolveMember,
  type Neighbourhood,
} from "../../orchestration/members.ts";
import { fail, ok, type Result } from "../../protocol/errors.ts";
import type { Person } from "../../protocol/events.ts";
import type { ChildLink } from "../../protocol/team-link.ts";
import type { LinkStatus, TeamView } from "../../protocol/team.ts";
import type { AgentStore } from "./agent-store.ts";
import { statusOf } from "./prompt-queue.ts";
import type { Prompts } from "./prompts.ts";
import type { RoomContext } from "./room-context.ts";
import { childStatus, type TeamStore } from "./team-store.ts";
import { SessionMailbox } from "./mailbox.ts";
import type { Asker, LinkedSessions } from "./team-ports.ts";

export type { Asker, LinkedSessions } from "./team-ports.ts";

export interface TeamDeps {
  store: TeamStore;
  agent: AgentStore | null;
  linked: LinkedSessions;
  limits: TeamLimits;
}

/** The name a session a person started goes by. */
export const ROOT_NAME = "lead";
/** How often a wait looks at the children it waits for. */
const WAIT_POLL_MS = 400;
const NOTIFY_ATTEMPTS = 3;

export class SessionTeam {
  private readonly room: RoomContext;
  private readonly deps: TeamDeps;
  private prompts: Prompts | null = null;
  /** This session's mailbox: what arrives, and what it sends. */
  readonly mail: SessionMailbox;
  /** What the parent was last told, so it hears each change once. */
  private reported: string | null = null;

  constructor(room: RoomContext, deps: TeamDeps) {
    this.room = room;
    this.deps = deps;
    this.mail = new SessionMailbox(room, this, deps);
  }

  /** The queue this team wakes with mail and stops on shut down (set once the room is built). */
  attach(prompts: Prompts): void {
    this.prompts = prompts;
    this.mail.attach(prompts);
  }

  private get id(): string {
    return this.room.store.meta()!.id;
  }

  asker(): Asker {
    return { sessionId: this.id, parentId: this.deps.store.self()?.parentId ?? null };
  }

  /** Links a new session to the one that started it. */
  link(link: ChildLink): void {
    const at = this.room.now();
    this.deps.store.saveSelf({
      parentId: link.parent.sessionId,
      parentTitle: link.parent.title,
      parentRepo: link.parent.repo,
      name: link.name,
      role: link.role,
      depth: link.depth,
      shutDownAt: null,
    });
    for (const { person, role } of link.participants) {
      this.room.store.upsertParticipant(person, role, at);
    }
    this.room.record({
      type: "team.linked",
      actor: null,
      data: { parent: link.parent, name: link.name, role: link.role },
    });
  }

  /** This session as its linked sessions see it. */
  selfStatus(): LinkStatus {
    const meta = this.room.store.meta()!;
    const self = this.deps.store.self();
    const summary = this.deps.agent?.lastText() ?? null;
    return {
      sessionId: meta.id,
      name: self?.name ?? ROOT_NAME,
      role: self?.role ?? null,
      repo: meta.repo,
      title: meta.title,
      state: memberState({
        busy: statusOf(this.room.store.queue()) !== "idle",
        shutDown: self?.shutDownAt != null,
      }),
      lastTurn: this.room.store.lastTurn(),
      summary: summary === null ? null : capSummary(summary),
      updatedAt: this.room.now(),
    };
  }

  /** Lines for the agent's system prompt about the sessions it is linked with. */
  about(): string[] {
    const self = this.deps.store.self();
    const lines = [
      "- You can start other sessions (spawn_session), each with its own agent and sandbox, read their state (session_status, list_sessions), wait for them (wait_for_sessions), stop them (cancel_session) and exchange messages (send_message, broadcast, read_inbox).",
    ];
    if (self?.parentId) {
      lines.push(
        `- This session was started by the session "${self.parentTitle}" (${self.parentId}); you are "${self.name}"${self.role ? `, in the role ${self.role}` : ""}. It reads your final message as your summary: end with a clear answer. Message it with send_message to "parent".`,
      );
    }
    const children = this.deps.store.children();
    if (children.length > 0) {
      lines.push(
        `- Sessions you started: ${children.map((c) => `${c.name} (${c.state})`).join(", ")}.`,
      );
    }
    return lines;
  }

  /** The team as a participant sees it, with each child's state and mailbox as far as they answer. */
  async view(userId: string): Promise<Result<TeamView>> {
    const allowed = this.room.authorize(userId, "read");
    if (!allowed.ok) return allowed;
    await this.refreshChildren();
    const status = this.selfStatus();
    const self = this.deps.store.self();
    const children = this.deps.store.children();
    const inboxes = await Promise.all(
      children.map(async (child) => {
        const mail = await this.deps.linked.inbox(child.sessionId, this.asker()).catch(() => null);
        return { sessionId: child.sessionId, name: child.name, mail: mail?.ok ? mail.value : null };
      }),
    );
    return ok({
      self: { name: status.name, role: status.role, depth: self?.depth ?? 0, state: status.state },
      parent:
        self?.parentId && self.parentTitle && self.parentRepo
          ? { sessionId: self.parentId, title: self.parentTitle, repo: self.parentRepo }
          : null,
      children: children.map(childStatus),
      inbox: this.deps.store.mail(),
      inboxes,
    });
  }

  /** Called whenever the prompt queue changed: a child tells its parent when its state moved. */
  queueChanged(): void {
    const self = this.deps.store.self();
    if (!self?.parentId) return;
    const status = this.selfStatus();
    const key = `${status.state}/${status.lastTurn}`;
    if (key === this.reported) return;
    this.reported = key;
    const parentId = self.parentId;
    this.room.deps.background(
      (async () => {
        for (let attempt = 1; attempt <= NOTIFY_ATTEMPTS; attempt++) {
          try {
            await this.deps.linked.childChanged(parentId, status);
            return;
          } catch (error) {
            if (attempt === NOTIFY_ATTEMPTS) {
              this.room.deps.log("team.notify.failed", { parentId, error: String(error) });
            } else await sleep(200 * attempt, new AbortController().signal);
          }
        }
      })(),
    );
  }

  /** A child reported its state. */
  childChanged(status: LinkStatus): void {
    const before = this.deps.store.updateChild(
      status.sessionId,
      { state: status.state, lastTurn: status.lastTurn, summary: status.summary },
      this.room.now(),
    );
    if (!before || (before.state === status.state && before.lastTurn === status.lastTurn)) return;
    this.room.record({
      type: "team.member_changed",
      actor: null,
      data: {
        sessionId: status.sessionId,
        name: before.name,
        state: status.state,
        lastTurn: status.lastTurn,
        summary: status.summary,
      },
    });
  }

  /** Whether `asker` is this session's parent, one of its children, or a sibling. */
  isLinked(asker: Asker): boolean {
    const self = this.deps.store.self();
    if (self?.parentId && asker.sessionId === self.parentId) return true;
    if (this.deps.store.child(asker.sessionId)) return true;
    return self?.parentId != null && asker.parentId === self.parentId;
  }

  /** This session's status, for a linked session. */
  statusFor(asker: Asker): Result<LinkStatus> {
    if (!this.room.store.meta() || !this.isLinked(asker))
      return fail("not_found", "No linked session with that id.");
    return ok(this.selfStatus());
  }

  /** The children, for the parent or a child looking for its siblings. */
  childrenFor(asker: Asker): Result<LinkStatus[]> {
    if (!this.room.store.meta() || !this.isLinked(asker))
      return fail("not_found", "No linked session with that id.");
    return ok(this.deps.store.children().map(childStatus));
  }

  /** Shuts this session down at its parent's request: the turn stops and queued prompts go. */
  shutDown(asker: Asker): Result<LinkStatus> {
    const self = this.deps.store.self();
    if (!self?.parentId || asker.sessionId !== self.parentId)
      return fail("not_found", "No linked session with that id.");
    if (self.shutDownAt === null) {
      this.deps.store.saveSelf({ ...self, shutDownAt: this.room.now() });
      this.room.record({ type: "team.shut_down", actor: null, data: { by: "parent" } });
      const owner = this.owner();
      const queue = this.room.store.queue();
      for (const prompt of queue.queued) this.prompts?.cancel(owner.userId, prompt.messageId);
      if (queue.running) this.prompts?.stop(owner.userId);
    }
    const status = this.selfStatus();
    this.reported = `${status.state}/${status.lastTurn}`;
    return ok(status);
  }

  /** The team tools' view of this session, acting for the person whose prompt runs. */
  forTurn(author: Person): Omit<TeamPort, "fanOut"> {
    return {
      spawn: (request) => this.spawn(author, request),
      status: (target) => this.status(target),
      children: async () => {
        await this.refreshChildren();
        return this.deps.store.children().map(childStatus);
      },
      cancel: (target) => this.cancel(target),
      wait: (targets, timeoutMs, signal) => this.wait(targets, timeoutMs, signal),
      send: (to, text) => this.mail.send(to, text),
      broadcast: (text) => this.mail.broadcast(text),
      readInbox: () => this.mail.read(),
    };
  }

  async spawn(author: Person, request: SpawnRequest): Promise<Result<LinkStatus>> {
    const meta = this.room.store.meta()!;
    const self = this.deps.store.self();
    const children = this.deps.store.children();
    const depth = self?.depth ?? 0;
    const refusal = spawnRefusal(this.deps.limits, {
      depth,
      running: children.filter((c) => c.state === "working").length,
      total: children.length,
    });
    if (refusal) return fail("limit_reached", refusal);
    const repo = request.repo ?? meta.repo;
    if (repo !== meta.repo) {
      const usable = await this.deps.linked.canUse(author.userId, repo);
      if (!usable.ok) return usable;
    }
    const quoted = await this.quoted(request.quote ?? []);
    if (!quoted.ok) return quoted;
    const named = childName(request.name, request.role, new Set(children.map((c) => c.name)));
    if (!named.ok) return fail("conflict", named.reason);
    const at = this.room.now();
    const id = this.room.id("ses");
    const row = {
      sessionId: id,
      name: named.name,
      role: request.role,
      repo,
      title: request.title,
      state: "working" as const,
      lastTurn: null,
      summary: null,
      createdAt: at,
      updatedAt: at,
    };
    this.deps.store.addChild(row);
    const created = await this.deps.linked
      .create({
        id,
        repo,
        title: request.title,
        owner: author,
        prompt: quoted.value ? `${request.prompt}\n\n${quoted.value}` : request.prompt,
        link: {
          parent: { sessionId: meta.id, title: meta.title, repo: meta.repo },
          name: named.name,
          role: request.role,
          depth: depth + 1,
          participants: this.room.store
            .participants()
            .filter((p) => p.person.userId !== author.userId)
            .map((p) => ({
              person: p.person,
              role: p.role === "viewer" ? ("viewer" as const) : ("collaborator" as const),
            })),
        },
      })
      .catch((error: unknown) =>
        fail("unavailable", `The session could not be started: ${String(error)}`),
      );
    if (!created.ok) {
      this.deps.store.removeChild(id);
      return created;
    }
    this.room.record({
      type: "team.child_spawned",
      actor: author,
      data: { sessionId: id, name: named.name, repo, title: request.title, role: request.role },
    });
    return ok(childStatus(row));
  }

  /** The answers of linked sessions, quoted word for word for another session's prompt. */
  private async quoted(targets: readonly string[]): Promise<Result<string>> {
    const parts: string[] = [];
    for (const target of targets) {
      const status = await this.status(target);
      if (!status.ok) return status;
      const { name, sessionId, repo, summary, state } = status.value;
      if (!summary) {
        return fail(
          "conflict",
          `${name} has no answer to quote yet (it is ${state.replace("_", " ")}); wait for it with wait_for_sessions first.`,
        );
      }
      parts.push(
        `Quoted from the session ${name} (${sessionId}, on ${repo}); this is what it answered:\n\n${summary
          .split("\n")
          .map((line) => `> ${line}`)
          .join("\n")}`,
      );
    }
    return ok(parts.join("\n\n"));
  }

  /** Asks every child for its state and keeps what they answer. */
  private async refreshChildren(): Promise<void> {
    await Promise.all(
      this.deps.store
        .children()
        .filter((child) => child.state !== "shut_down")
        .map(async (child) => {
          const status = await this.deps.linked
            .status(child.sessionId, this.asker())
            .catch(() => null);
          if (status?.ok) this.childChanged(status.value);
        }),
    );
  }

  /** The sessions this one can name. Siblings are asked of the parent only when needed. */
  async neighbourhood(withSiblings: boolean): Promise<Neighbourhood> {
    const status = this.selfStatus();
    const self = this.deps.store.self();
    const parent = self?.parentId ? { sessionId: self.parentId, name: "parent" } : null;
    let siblings: { sessionId: string; name: string }[] = [];
    if (withSiblings && parent) {
      const listed = await this.deps.linked
        .children(parent.sessionId, this.asker())
        .catch(() => null);
      if (listed?.ok) siblings = listed.value.filter((s) => s.sessionId !== status.sessionId);
    }
    return {
      self: { sessionId: status.sessionId, name: status.name },
      parent,
      children: this.deps.store.children(),
      siblings,
    };
  }

  async resolve(target: string) {
    const near = resolveMember(await this.neighbourhood(false), target);
    return near.ok ? near : resolveMember(await this.neighbourhood(true), target);
  }

  private async status(target: string): Promise<Result<LinkStatus>> {
    const member = await this.resolve(target);
    if (!member.ok) return fail("not_found", member.reason);
    const status = await this.deps.linked.status(member.sessionId, this.asker());
    if (status.ok && this.deps.store.child(member.sessionId)) this.childChanged(status.value);
    return status.ok ? ok({ ...status.value, name: member.name }) : status;
  }

  async cancel(target: string): Promise<Result<LinkStatus>> {
    const child = this.deps.store
      .children()
      .find((c) => c.name === target || c.sessionId === target);
    if (!child) {
      return fail(
        "not_found",
        `No session named "${target}" was started by this session; only your own children can be cancelled.`,
      );
    }
    const stopped = await this.deps.linked.shutDown(child.sessionId, this.asker());
    if (stopped.ok) this.childChanged(stopped.value);
    return stopped;
  }

  async wait(
    targets: readonly string[] | null,
    timeoutMs: number,
    signal: AbortSignal,
  ): Promise<Result<{ finished: LinkStatus[]; pending: LinkStatus[] }>> {
    const children = this.deps.store.children();
    const chosen = [];
    for (const target of targets ?? children.map((c) => c.sessionId)) {
      const child = children.find((c) => c.name === target || c.sessionId === target);
      if (!child) {
        return fail(
          "not_found",
          `No session named "${target}" was started by this session. Your children are: ${children.map((c) => c.name).join(", ") || "none"}.`,
        );
      }
      chosen.push(child.sessionId);
    }
    const deadline = this.room.now() + timeoutMs;
    for (;;) {
      await this.refreshChildren();
      const rows = chosen.map((id) => childStatus(this.deps.store.child(id)!));
      const pending = rows.filter((row) => row.state === "working");
      if (pending.length === 0 || this.room.now() >= deadline || signal.aborted) {
        return ok({ finished: rows.filter((row) => row.state !== "working"), pending });
      }
      await sleep(Math.min(WAIT_POLL_MS, Math.max(0, deadline - this.room.now())), signal).catch(
        () => undefined,
      );
    }
  }

  owner(): Person {
    const meta = this.room.store.meta()!;
    return this.room.store.participant(meta.createdBy)!.person;
  }
}
