// The agent as the room's prompt runner: binds a turn to this session's storage, sandbox and
// sockets, and commits the turn's changes by the person who asked.
import { commitChanges, commitMessage, type GitIdentity } from "../../agent/commit.ts";
import { runTurn, type AgentSettings, type TurnDeps } from "../../agent/loop.ts";
import type { AgentOptions } from "../../agent/config.ts";
import { anthropicCaller, type ModelCaller } from "../../agent/model.ts";
import { Plugins } from "../../agent/plugins.ts";
import { writeGate } from "../../agent/plugins/write-gate.ts";
import { bindSandbox } from "../../agent/tools/sandbox-binding.ts";
import type { NewEvent, Person, QueuedPrompt } from "../../protocol/events.ts";
import type { AgentStore } from "./agent-store.ts";
import type { RoomContext } from "./room-context.ts";
import type { PromptRunner, TurnContext, TurnOutcome } from "./runner.ts";
import type { SessionSandbox } from "./session-sandbox.ts";
import { TurnReport } from "./stats-report.ts";
import type { TeamPort } from "../../agent/tools/team/port.ts";
import type { SessionPipelines } from "./pipelines.ts";
import { ROLE_TOOLS } from "../../agent/tools/pipeline/tools.ts";
import { threadOf } from "../../agent/turn-store.ts";
import { TOOLS } from "../../agent/tools/index.ts";
import { TEAM_TOOLS } from "../../agent/tools/team/tools.ts";
import { exposePort } from "../../agent/tools/expose-port.ts";
import type { SessionPreviews } from "./previews.ts";

/** How the runner reaches the session's team: the lines about it, and its tools' port. */
export interface TeamLink {
  about(): string[];
  port(author: Person): TeamPort;
}

/** The sandbox tools and the team tools, for sessions that may work with other sessions. */
const WITH_TEAM = [...TOOLS, ...TEAM_TOOLS];
/** The same lists with expose_port, for deployments that serve previews. */
const WITH_PREVIEWS = [...TOOLS, exposePort];
const WITH_TEAM_AND_PREVIEWS = [...TOOLS, exposePort, ...TEAM_TOOLS];
const ROLE_WITH_PREVIEWS = [...ROLE_TOOLS, exposePort];

/** How the platform runs agents: the configured options and where people's git identities come from. */
export interface AgentConfig extends AgentOptions {
  /** A person's git identity (name and email), or null when unknown. */
  identity(userId: string): Promise<GitIdentity | null>;
}

export class AgentRunner implements PromptRunner {
  private readonly room: RoomContext;
  private readonly sandbox: SessionSandbox;
  private readonly store: AgentStore;
  private readonly config: AgentConfig;
  private readonly model: ModelCaller | null;

  /** Called after a finished turn committed, to publish the work in the prompting person's name. */
  private readonly published: ((author: Person) => void) | null;
  private readonly team: TeamLink | null;
  private readonly pipelines: SessionPipelines | null;
  private readonly previews: SessionPreviews | null;

  constructor(
    room: RoomContext,
    sandbox: SessionSandbox,
    store: AgentStore,
    config: AgentConfig,
    links: {
      published?: (author: Person) => void;
      team?: TeamLink | null;
      pipelines?: SessionPipelines | null;
      /** Ports published as previews; null where the deployment serves none. */
      previews?: SessionPreviews | null;
    } = {},
  ) {
    this.published = links.published ?? null;
    this.previews = links.previews ?? null;
    this.team = links.team ?? null;
    this.pipelines = links.pipelines ?? null;
    this.room = room;
    this.sandbox = sandbox;
    this.store = store;
    this.config = config;
    this.model = config.server ? anthropicCaller(config.server) : null;
  }

  async run(prompt: QueuedPrompt, context: TurnContext): Promise<TurnOutcome> {
    if (!this.model) {
      return {
        state: "failed",
        reason:
          "No model is configured: set ANTHROPIC_API_KEY (and ANTHROPIC_BASE_URL for another Anthropic-compatible server).",
      };
    }
    const meta = this.room.store.meta()!;
    const live = this.room.live;
    const report = new TurnReport(this.room, prompt.messageId, context.resumed);
    const emit = (event: NewEvent) => {
      report.event(event);
      if (event.type === "agent.retrying") live.dropStep(prompt.messageId, event.data.step);
      if (event.type === "agent.tool_finished") live.toolDone(event.data.toolUseId);
      context.emit(event);
    };
    // A pipeline role's turn sees only its role's thread and hands over with its own tools.
    const roleTurn = this.pipelines?.roleTurn(prompt.clientId) ?? null;
    const thread = this.pipelines?.conversationFilter(prompt.clientId);
    const deps: TurnDeps = {
      model: this.model,
      store: thread ? threadOf(this.store, thread) : this.store,
      plugins: new Plugins([writeGate(this.sandbox)]),
      sandbox: async (signal) => {
        const ready = await this.sandbox.whenExists(signal);
        if (!ready.ok) throw new Error(`This session has no sandbox: ${ready.reason}`);
        return bindSandbox(this.sandbox.provider!, ready.sandboxId);
      },
      emit,
      live: {
        text: (step, index, text) => {
          report.output();
          live.text(prompt.messageId, step, index, text);
        },
        textDone: (step, index) => live.textDone(prompt.messageId, step, index),
        toolOutput: (toolUseId, text) => live.toolOutput(prompt.messageId, toolUseId, text),
      },
      now: () => this.room.now(),
      settings: this.settings(meta.model, meta.spendLimitUsd),
      facts: {
        repo: meta.repo,
        branch: `tandem/${meta.id}`,
        ...(this.team && !roleTurn ? { about: this.team.about() } : {}),
      },
      ...this.sessionTools(prompt, roleTurn),
    };
    let end: TurnOutcome | null = null;
    try {
      end = await runTurn(deps, prompt, { signal: context.signal, resumed: context.resumed });
      return end;
    } finally {
      live.turnEnded(prompt.messageId);
      const committed = await this.commit(prompt, emit);
      // A turn that finished its work is published as the person who asked.
      if (committed && end?.state === "done") this.published?.(prompt.author);
    }
  }

  /** The turn's tools beyond the sandbox's and the port they work through: a role's, the team's,
   * and expose_port where previews are served. */
  private sessionTools(
    prompt: QueuedPrompt,
    roleTurn: ReturnType<SessionPipelines["roleTurn"]>,
  ): Pick<TurnDeps, "tools" | "session"> {
    const previews = this.previews?.forTurn(prompt.author, prompt.messageId);
    const withPreviews = <P extends object>(port: P) => (previews ? { ...port, previews } : port);
    if (roleTurn) {
      return {
        tools: previews ? ROLE_WITH_PREVIEWS : ROLE_TOOLS,
        session: withPreviews(this.pipelines!.forRole(roleTurn)),
      };
    }
    if (this.team) {
      return {
        tools: previews ? WITH_TEAM_AND_PREVIEWS : WITH_TEAM,
        session: withPreviews(this.team.port(prompt.author)),
      };
    }
    return previews ? { tools: WITH_PREVIEWS, session: { previews } } : {};
  }

  private settings(model: string | null, spendLimitUsd: number | null): AgentSettings {
    return {
      model: model ?? this.config.defaultModel,
      maxTokens: this.config.maxTokens,
      maxSteps: this.config.maxSteps,
      spendLimitUsd,
      retry: this.config.retry,
      rehearsal: this.config.rehearsal,
    };
  }

  /** Commits what the turn changed, however it ended, so no work is lost. */
  private async commit(prompt: QueuedPrompt, emit: (event: NewEvent) => void): Promise<boolean> {
    const provider = this.sandbox.provider;
    const sandboxId = this.room.store.sandbox().sandboxId;
    if (!provider || !sandboxId || !this.sandbox.isSynced()) return false;
    try {
      const author = await this.authorOf(prompt.author);
      const message = commitMessage({
        prompt: prompt.text,
        author: prompt.author,
        sessionId: this.room.store.meta()!.id,
      });
      const commit = await commitChanges(bindSandbox(provider, sandboxId), { author, message });
      if (!commit) return false;
      emit({
        type: "commit.created",
        actor: prompt.author,
        data: { messageId: prompt.messageId, ...commit, author },
      });
      return true;
    } catch (error) {
      emit({
        type: "agent.notice",
        actor: null,
        data: {
          messageId: prompt.messageId,
          level: "warning",
          text: `The turn's changes could not be committed: ${error instanceof Error ? error.message : String(error)}. They stay in the workspace.`,
        },
      });
      return false;
    }
  }

  private async authorOf(person: Person): Promise<GitIdentity> {
    const known = await this.config.identity(person.userId).catch(() => null);
    return {
      name: known?.name || person.name || person.login,
      email: known?.email || `${person.login}@users.noreply.github.com`,
    };
  }
}
