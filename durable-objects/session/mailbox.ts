// A session's mailbox: mail from linked sessions arrives append-only and in order, wakes the
// session when it is idle, and is drained when the agent reads it; mail it sends goes through the
// LinkedSessions port.
import { broadcastTargets, wakeDecision } from "../../orchestration/members.ts";
import { fail, ok, type Result } from "../../protocol/errors.ts";
import type { Mail, MailDelivery } from "../../protocol/team.ts";
import type { Prompts } from "./prompts.ts";
import type { RoomContext } from "./room-context.ts";
import type { Neighbourhood } from "../../orchestration/members.ts";
import type { Person } from "../../protocol/events.ts";
import type { LinkStatus } from "../../protocol/team.ts";
import type { Asker, LinkedSessions } from "./team-ports.ts";
import type { TeamStore } from "./team-store.ts";
import type { TeamLimits } from "../../orchestration/limits.ts";

/** What the mailbox needs of the session's team: who it is and whom it can reach. */
export interface MailboxTeam {
  selfStatus(): LinkStatus;
  isLinked(asker: Asker): boolean;
  asker(): Asker;
  owner(): Person;
  resolve(
    target: string,
  ): Promise<{ ok: true; sessionId: string; name: string } | { ok: false; reason: string }>;
  neighbourhood(withSiblings: boolean): Promise<Neighbourhood>;
}

export class SessionMailbox {
  private readonly room: RoomContext;
  private readonly team: MailboxTeam;
  private readonly deps: { store: TeamStore; linked: LinkedSessions; limits: TeamLimits };
  private prompts: Prompts | null = null;

  constructor(
    room: RoomContext,
    team: MailboxTeam,
    deps: { store: TeamStore; linked: LinkedSessions; limits: TeamLimits },
  ) {
    this.room = room;
    this.team = team;
    this.deps = deps;
  }

  attach(prompts: Prompts): void {
    this.prompts = prompts;
  }

  /** The unread mail, oldest first, marked read: reading drains the inbox. */
  read(): Mail[] {
    const mail = this.deps.store.drain(this.room.now());
    if (mail.length > 0) {
      this.room.record({ type: "mailbox.read", actor: null, data: { ids: mail.map((m) => m.id) } });
    }
    return mail;
  }

  /** The mailbox, for the parent. */
  inboxFor(asker: Asker): Result<Mail[]> {
    const self = this.deps.store.self();
    if (!self?.parentId || asker.sessionId !== self.parentId)
      return fail("not_found", "No linked session with that id.");
    return ok(this.deps.store.mail());
  }

  /** Stores a mail from a linked session and wakes this session if it is idle. */
  deliver(mail: MailDelivery, asker: Asker): Result<{ woke: boolean }> {
    if (!this.room.store.meta() || !this.team.isLinked(asker))
      return fail("not_found", "No linked session with that id.");
    const status = this.team.selfStatus();
    if (status.state === "shut_down")
      return fail("conflict", `${status.name} has shut down and takes no more messages.`);
    const stored = this.deps.store.receive(mail, this.room.now());
    if (!stored) return ok({ woke: false });
    this.room.record({ type: "mailbox.received", actor: null, data: { mail: stored } });
    const decision = wakeDecision({
      state: status.state,
      wakesInARow: this.wakesInARow(),
      maxWakes: this.deps.limits.maxWakes,
    });
    if (decision === "limit") {
      this.room.record({
        type: "agent.notice",
        actor: null,
        data: {
          messageId: null,
          level: "warning",
          text: `Mail from ${mail.from.name} did not wake the agent: it has been woken ${this.deps.limits.maxWakes} times in a row by other sessions. Prompt it to let it go on.`,
        },
      });
    }
    if (decision !== "wake" || !this.prompts) return ok({ woke: false });
    const owner = this.team.owner();
    const woke = this.prompts.submit(owner, {
      clientId: `mail:${mail.id}`,
      text: `New mail from ${mail.from.name} is in your inbox. Read it with read_inbox and act on it.`,
    });
    return ok({ woke: woke.ok });
  }

  async send(to: string, text: string): Promise<Result<{ to: string }>> {
    const member = await this.team.resolve(to);
    if (!member.ok) return fail("not_found", member.reason);
    const delivered = await this.deliverTo(member, text);
    if (!delivered.ok) return delivered;
    this.room.record({ type: "mailbox.sent", actor: null, data: { to: [member.name], text } });
    return ok({ to: member.name });
  }

  async broadcast(text: string): Promise<Result<{ delivered: string[]; failed: string[] }>> {
    const targets = broadcastTargets(await this.team.neighbourhood(true));
    if (targets.length === 0) {
      return fail("not_found", "This session has no parent, children or siblings to write to.");
    }
    const outcomes = await Promise.all(
      targets.map(async (target) => ({ target, sent: await this.deliverTo(target, text) })),
    );
    const delivered = outcomes.filter((o) => o.sent.ok).map((o) => o.target.name);
    const failed = outcomes.flatMap((o) =>
      o.sent.ok ? [] : [`${o.target.name}: ${o.sent.error.message}`],
    );
    if (delivered.length > 0) {
      this.room.record({ type: "mailbox.sent", actor: null, data: { to: delivered, text } });
    }
    return ok({ delivered, failed });
  }

  private async deliverTo(
    target: { sessionId: string; name: string },
    text: string,
  ): Promise<Result<unknown>> {
    const status = this.team.selfStatus();
    const mail: MailDelivery = {
      id: this.room.id("mal"),
      from: { sessionId: status.sessionId, name: status.name },
      text,
      sentAt: this.room.now(),
    };
    return this.deps.linked
      .deliver(target.sessionId, mail, this.team.asker())
      .catch((error: unknown) =>
        fail("unavailable", `${target.name} could not be reached: ${String(error)}`),
      );
  }

  /** Turns started by mail since a person last prompted this session. */
  private wakesInARow(): number {
    let count = 0;
    for (const clientId of this.room.store.recentClientIds(this.deps.limits.maxWakes + 1)) {
      if (!clientId.startsWith("mail:")) break;
      count++;
    }
    return count;
  }
}
