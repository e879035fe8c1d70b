// The session room: creation and reading, composed from the prompt queue, share links, participants
// and sockets.
// The Durable Object class forwards each platform event or RPC call to one method here.
import { DEFAULT_MODEL } from "../../agent/config.ts";
import { ZERO_USAGE } from "../../agent/pricing.ts";
import type { SessionSettingsBody, SessionView } from "../../protocol/api.ts";
import { fail, ok, type Result } from "../../protocol/errors.ts";
import type { Person, SessionEvent } from "../../protocol/events.ts";
import { Connections } from "./connections.ts";
import { AgentRunner } from "./agent-runner.ts";
import { SessionPullRequest, type Published } from "./pull-request.ts";
import { Prompts, TURN_WATCHDOG_DEADLINE } from "./prompts.ts";
import { RoomContext, type RoomServices } from "./room-context.ts";
import type { AgentConfig } from "./agent-runner.ts";
import type { AgentStore } from "./agent-store.ts";
import type { PullRequestDeps } from "./pull-request.ts";
import type { PromptRunner } from "./runner.ts";
import type { SessionSandboxDeps } from "./session-sandbox.ts";
import type { TeamLimits } from "../../orchestration/limits.ts";
import type { LinkedSessions } from "./team.ts";
import type { TeamStore } from "./team-store.ts";
import type { PipelineDeps } from "./pipelines.ts";
import type { FanOutDeps } from "./fan-out.ts";
import type { AskUsage } from "../../orchestration/routing/classifier.ts";
import { ShareLinks } from "./share-links.ts";
import { Participants } from "./participants.ts";
import { SANDBOX_IDLE_DEADLINE, SessionSandbox } from "./session-sandbox.ts";
import type { ChildLink } from "../../protocol/team-link.ts";
import { SessionTeam } from "./team.ts";
import { SessionPipelines } from "./pipelines.ts";
import { FAN_OUT_WATCHDOG_DEADLINE, SessionFanOut } from "./fan-out.ts";
import { SessionPreviews, type PreviewDeps } from "./previews.ts";
import type { TeamLink } from "./agent-runner.ts";

export type { SessionIndex } from "./room-context.ts";

/** Everything the room needs from outside, built once by the Durable Object. */
export interface RoomDeps extends RoomServices {
  /** A runner given directly (tests); otherwise the agent runs prompts when `agent` is given. */
  runner: PromptRunner | null;
  /** The agent's configuration and checkpoint storage. */
  agent?: { config: AgentConfig; store: AgentStore };
  /** GitHub pull requests; without it the session publishes nothing. */
  pullRequests?: PullRequestDeps;
  /** The sandbox provider and the repository's registration and pool. */
  sandboxes: SessionSandboxDeps;
  /** Other Session objects and the limits on starting them; without it the agent works alone. */
  team?: { linked: LinkedSessions; limits: TeamLimits; store: TeamStore };
  /** Routing guides and the fast model, for fan-outs. */
  fanOut?: (sandbox: SessionSandbox) => Omit<FanOutDeps, "charge" | "store">;
  /** Pipeline runs: their storage and definitions; built with the room's sandbox. */
  pipelines?: (sandbox: SessionSandbox) => PipelineDeps;
  /** Ports published as previews; without it the session publishes none. */
  previews?: PreviewDeps;
}

/** What creating a session needs. */
export interface InitInput {
  id: string;
  repo: string;
  title: string;
  owner: Person;
  prompt?: { clientId: string; text: string };
  /** The model the agent uses; the platform's default when absent. */
  model?: string;
  spendLimitUsd?: number;
  /** Set when another session starts this one. */
  link?: ChildLink;
  /** Set when a person's request was routed to this session's space. */
  routed?: { space: string; reason: string; by: "classifier" | "person" };
  /** Fast-model calls made to bring the request here (routing it), charged to this session. */
  fastUsage?: AskUsage[];
}

export class SessionRoom {
  private readonly room: RoomContext;
  readonly prompts: Prompts;
  readonly shareLinks: ShareLinks;
  readonly participants: Participants;
  readonly connections: Connections;

  readonly sandbox: SessionSandbox;
  readonly pullRequest: SessionPullRequest;
  /** Links to other sessions; null when the deployment gives the agent no team. */
  readonly team: SessionTeam | null;
  /** Questions to several spaces at once; null without a team. */
  readonly fanOut: SessionFanOut | null;
  /** Pipeline runs; null when the deployment gives the session none. */
  readonly pipelines: SessionPipelines | null;
  /** Ports published as previews; null when the deployment gives the session none. */
  readonly previews: SessionPreviews | null;

  private readonly deps: RoomDeps;

  constructor(deps: RoomDeps) {
    this.deps = deps;
    this.room = new RoomContext(deps);
    this.team = deps.team
      ? new SessionTeam(this.room, { ...deps.team, agent: deps.agent?.store ?? null })
      : null;
    this.sandbox = new SessionSandbox(this.room, deps.sandboxes);
    this.previews = deps.previews
      ? new SessionPreviews(this.room, this.sandbox, deps.previews)
      : null;
    this.fanOut =
      this.team && deps.fanOut
        ? new SessionFanOut(this.room, this.team, {
            ...deps.fanOut(this.sandbox),
            store: deps.team!.store,
            charge: (usage) => this.chargeFastModel(usage),
          })
        : null;
    this.pipelines = deps.pipelines
      ? new SessionPipelines(this.room, deps.pipelines(this.sandbox))
      : null;
    this.pullRequest = new SessionPullRequest(this.room, this.sandbox, deps.pullRequests ?? null);
    const publish = (author: Person) => {
      if (!this.pullRequest.configured) return;
      deps.background(
        this.pullRequest
          .publish(author)
          .catch((error: unknown) => deps.log("pull_request.failed", { error: String(error) })),
      );
    };
    const runner =
      deps.runner ??
      (deps.agent
        ? new AgentRunner(this.room, this.sandbox, deps.agent.store, deps.agent.config, {
            published: publish,
            team: this.teamLink(),
            pipelines: this.pipelines,
            previews: this.previews?.enabled ? this.previews : null,
          })
        : null);
    this.prompts = new Prompts(
      this.room,
      {
        promptQueued: () => deps.background(this.sandbox.ensure()),
        turnEnded: () =>
          deps.background(
            this.sandbox
              .turnEnded()
              .catch((error: unknown) =>
                deps.log("sandbox.snapshot.failed", { error: String(error) }),
              ),
          ),
        queueChanged: () => {
          this.team?.queueChanged();
          this.pipelines?.resume();
        },
      },
      runner,
    );
    this.team?.attach(this.prompts);
    this.pipelines?.attach(this.prompts);
    this.shareLinks = new ShareLinks(this.room);
    this.participants = new Participants(this.room);
    this.connections = new Connections(this.room, this.prompts);
  }

  /** The team as the agent reaches it, fan-out included; null without a team. */
  private teamLink(): TeamLink | null {
    const team = this.team;
    if (!team) return null;
    return {
      about: () => team.about(),
      port: (author) => ({
        ...team.forTurn(author),
        fanOut: async (question, spaces, timeoutMs, signal) => {
          if (!this.fanOut) return fail("misconfigured", "Fan-out is not available here.");
          const done = await this.fanOut.run(author, { question, spaces, timeoutMs }, signal);
          if (!done.ok) return done;
          return ok({
            synthesis: done.value.synthesis,
            answered: done.value.answers.map((a) => a.space),
            skipped: done.value.skipped.map((s) => `${s.space} ${s.reason}`),
          });
        },
      }),
    };
  }

  /** Creates the session; calling again with the same id is a no-op that returns the view. */
  init(input: InitInput): Result<SessionView> {
    const store = this.room.store;
    const existing = store.meta();
    if (existing) {
      return existing.id === input.id
        ? this.view(input.owner.userId)
        : fail("conflict", "This session object already holds another session.");
    }
    const at = this.room.now();
    store.initialize({
      id: input.id,
      repo: input.repo,
      title: input.title,
      createdBy: input.owner.userId,
      createdAt: at,
      model: input.model ?? null,
      spendLimitUsd: input.spendLimitUsd ?? null,
    });
    store.upsertParticipant(input.owner, "owner", at);
    this.room.record({
      type: "session.created",
      actor: input.owner,
      data: { repo: input.repo, title: input.title },
    });
    this.room.record({
      type: "participant.joined",
      actor: input.owner,
      data: { person: input.owner, role: "owner", via: "create" },
    });
    if (input.link) this.team?.link(input.link);
    if (input.routed) {
      this.room.record({ type: "session.routed", actor: input.owner, data: input.routed });
    }
    for (const usage of input.fastUsage ?? []) this.chargeFastModel(usage);
    if (input.prompt) {
      const accepted = this.prompts.submit(input.owner, input.prompt);
      if (!accepted.ok) return accepted;
    }
    return this.view(input.owner.userId);
  }

  /** Counts a fast-model call the platform made for this session in its usage and cost, where the
   * spend limit sees it too. */
  private chargeFastModel(usage: AskUsage): void {
    const store = this.deps.agent?.store;
    if (!store) return;
    store.recordUsage(
      { promptId: `fast:${usage.purpose}`, step: 0, model: usage.model, usage: usage.call },
      this.deps.now(),
    );
    this.room.record({
      type: "agent.fast_usage",
      actor: null,
      data: { ...usage, session: store.usage() },
    });
  }

  /** The session as one participant sees it. */
  view(userId: string): Result<SessionView> {
    const allowed = this.room.authorize(userId, "read");
    if (!allowed.ok) return allowed;
    const store = this.room.store;
    const meta = store.meta()!;
    const participants = store.participants();
    const creator = participants.find((p) => p.person.userId === meta.createdBy);
    return ok({
      id: meta.id,
      repo: meta.repo,
      title: meta.title,
      createdAt: meta.createdAt,
      createdBy: creator?.person ?? {
        userId: meta.createdBy,
        login: "unknown",
        name: null,
        avatarUrl: null,
      },
      role: allowed.value.role,
      participants,
      queue: store.queue(),
      lastSeq: store.lastSeq(),
      model: meta.model ?? this.defaultModel(),
      spendLimitUsd: meta.spendLimitUsd,
      usage: this.deps.agent?.store.usage() ?? ZERO_USAGE,
      pullRequest: this.pullRequestView(),
    });
  }

  private pullRequestView(): SessionView["pullRequest"] {
    const row = this.room.store.pullRequest();
    return row ? { number: row.number, url: row.url, branch: row.branch, state: row.state } : null;
  }

  /** Pushes the branch and opens or updates the pull request in the asking person's name. */
  async publishPullRequest(userId: string): Promise<Result<Published>> {
    const allowed = this.room.authorize(userId, "prompt");
    if (!allowed.ok) return allowed;
    return this.pullRequest.publish(allowed.value.person);
  }

  /** Changes the model or the spend limit (owners only); null returns a setting to its default. */
  changeSettings(userId: string, body: SessionSettingsBody): Result<SessionView> {
    const allowed = this.room.authorize(userId, "settings");
    if (!allowed.ok) return allowed;
    const changed = this.room.store.updateSettings({
      ...(body.model !== undefined ? { model: body.model } : {}),
      ...(body.spendLimitUsd !== undefined ? { spendLimitUsd: body.spendLimitUsd } : {}),
    });
    this.room.record({
      type: "session.settings_changed",
      actor: allowed.value.person,
      data: { model: changed.model ?? this.defaultModel(), spendLimitUsd: changed.spendLimitUsd },
    });
    return this.view(userId);
  }

  private defaultModel(): string {
    return this.deps.agent?.config.defaultModel ?? DEFAULT_MODEL;
  }

  /** A page of the timeline after a cursor. */
  eventsAfter(
    userId: string,
    after: number,
    limit: number,
  ): Result<{ events: SessionEvent[]; lastSeq: number }> {
    const allowed = this.room.authorize(userId, "read");
    if (!allowed.ok) return allowed;
    return ok({
      events: this.room.store.eventsAfter(after, limit),
      lastSeq: this.room.store.lastSeq(),
    });
  }

  /** Runs every deadline that is due and re-arms the alarm for the next one. */
  alarm(): void {
    const store = this.room.store;
    const due = store.takeDueDeadlines(this.room.now());
    this.connections.deadlinesDue(due);
    if (due.includes(TURN_WATCHDOG_DEADLINE)) this.prompts.watchdog();
    if (due.includes(FAN_OUT_WATCHDOG_DEADLINE)) this.fanOut?.watchdog();
    if (due.includes(SANDBOX_IDLE_DEADLINE)) {
      this.room.deps.background(
        this.sandbox
          .idleCheck()
          .catch((error: unknown) =>
            this.room.deps.log("sandbox.idle.failed", { error: String(error) }),
          ),
      );
    }
    this.room.deps.setAlarm(store.earliestDeadline());
  }
}
