// The Session Durable Object: builds the room's dependencies and forwards platform events to it.
import { DurableObject } from "cloudflare:workers";
import { drizzle } from "drizzle-orm/durable-sqlite";
import { Registry } from "../../registry/registry.ts";
import { sandboxProviderFrom } from "../../sandbox/configured-provider.ts";
import { migrate } from "drizzle-orm/durable-sqlite/migrator";
import type {
  RemovedParticipant,
  SessionSettingsBody,
  SessionView,
  ShareLink,
} from "../../protocol/api.ts";
import type { Result } from "../../protocol/errors.ts";
import type { Person, Role, SessionEvent, ShareRole } from "../../protocol/events.ts";
import { agentOptionsFrom } from "../../agent/config.ts";
import { openDatabase } from "../../worker/db/database.ts";
import { findUser } from "../../worker/users/users.ts";
import { AgentStore } from "./agent-store.ts";
import { gitHubConfigFrom } from "../../github/config.ts";
import { GitHub } from "../../github/github.ts";
import { d1PullRequests } from "./d1-pull-requests.ts";
import { d1SessionIndex } from "./d1-session-index.ts";
import { retryingD1 } from "../../worker/db/retrying-d1.ts";
import type { Published, SessionPullRequest } from "./pull-request.ts";
import migrations from "./migrations/migrations.js";
import type { PromptAccepted } from "./prompts.ts";
import { SessionRoom, type InitInput } from "./room.ts";
import type { CreatedShareLink } from "./share-links.ts";
import * as schema from "./session.sql.ts";
import { durableObjectHub, roomSocket } from "./socket-hub.ts";
import { d1SessionReporter } from "./stats-report.ts";
import { SessionStore } from "./store.ts";
import { teamLimitsFrom } from "../../orchestration/limits.ts";
import type { LinkStatus, MailDelivery, TeamView, Mail } from "../../protocol/team.ts";
import { durableLinkedSessions } from "./linked-sessions.ts";
import type { Asker } from "./team.ts";
import { TeamStore } from "./team-store.ts";
import { routingGuides } from "./routing-sources.ts";
import { loadGuide, replaceGuide } from "../../worker/routing/guide-store.ts";
import type { SpaceDraft } from "../../orchestration/routing/discovery.ts";
import { modelAsk } from "../../agent/ask.ts";
import { FAST_MODEL } from "../../agent/config.ts";
import { PipelineStore } from "./pipeline-store.ts";
import { pipelineLibrary, workspaceProbe } from "./pipeline-sources.ts";
import type { PipelineRunView, PipelineSummary, StartRunBody } from "../../protocol/pipelines.ts";
import { previewDomainFrom, type ExposePortBody, type Preview } from "../../protocol/previews.ts";
import { PreviewStore } from "./preview-store.ts";

/** The header through which the Worker names the signed-in person on a socket upgrade. */
export const PERSON_HEADER = "x-tandem-person";

export class SessionObject extends DurableObject<Env> {
  private readonly room: SessionRoom;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    const db = drizzle(ctx.storage, { schema });
    const d1 = openDatabase(env.DB);
    const registry = new Registry(d1);
    const agent = agentOptionsFrom(env);
    const githubConfig = gitHubConfigFrom(env);
    const github = githubConfig ? new GitHub(githubConfig, d1, () => Date.now()) : null;
    const store = new SessionStore(db);
    this.room = new SessionRoom({
      store,
      fanOut: (sandbox) => ({
        guide: routingGuides(d1, sandbox),
        ask: agent.server ? modelAsk(agent.server, env.TANDEM_MODEL_FAST || FAST_MODEL) : null,
        propose: async (guide) => {
          const current = await loadGuide(d1, guide.org);
          if (current.spaces.length === 0) {
            await replaceGuide(d1, guide.org, guide.spaces, "proposed", Date.now());
          }
        },
      }),
      pipelines: (sandbox) => ({
        store: new PipelineStore(db),
        library: pipelineLibrary(d1, sandbox),
        probe: workspaceProbe(sandbox, store),
      }),
      hub: durableObjectHub(ctx),
      now: () => Date.now(),
      runner: null,
      agent: {
        store: new AgentStore(db),
        config: {
          ...agent,
          identity: async (userId) => {
            const user = await findUser(d1, userId);
            if (!user) return null;
            const email = user.email ?? (await github?.noreplyEmail(userId)) ?? null;
            return email ? { name: user.name ?? user.login, email } : null;
          },
        },
      },
      index: d1SessionIndex(retryingD1(env.DB)),
      stats: d1SessionReporter(d1),
      pullRequests: {
        github,
        index: d1PullRequests(d1),
        publicOrigin: new URL(env.PUBLIC_URL || "http://127.0.0.1:8787").origin,
      },
      setAlarm: (at) => void (at === null ? ctx.storage.deleteAlarm() : ctx.storage.setAlarm(at)),
      log: (message, fields) => console.log(JSON.stringify({ message, ...fields })),
      sandboxes: {
        provider: sandboxProviderFrom(env),
        repository: async (repo) => {
          const row = await registry.repository(repo);
          return row ? { cloneUrl: row.cloneUrl, defaultBranch: row.defaultBranch } : null;
        },
        pool: (repo) => env.REPO_POOL.get(env.REPO_POOL.idFromName(repo)),
        ...(github ? { credential: (repo: string) => github.cloneCredential(repo) } : {}),
      },
      background: (work) => ctx.waitUntil(work),
      previews: { store: new PreviewStore(db), domain: previewDomainFrom(env.PREVIEW_URL) },
      team: {
        store: new TeamStore(db),
        limits: teamLimitsFrom(env),
        linked: durableLinkedSessions({
          session: (id) => env.SESSION.get(env.SESSION.idFromName(id)),
          db: d1,
          registry,
          github,
          now: () => Date.now(),
        }),
      },
      prewarm: (repo) =>
        ctx.waitUntil(
          env.REPO_POOL.get(env.REPO_POOL.idFromName(repo))
            .prewarm()
            .catch((error: unknown) =>
              console.log(
                JSON.stringify({ message: "session.prewarm.failed", error: String(error) }),
              ),
            ),
        ),
    });
    // Hibernation-friendly keepalive: answered by the runtime without waking the object.
    ctx.setWebSocketAutoResponse(
      new WebSocketRequestResponsePair('{"type":"ping"}', '{"type":"pong"}'),
    );
    void ctx.blockConcurrencyWhile(async () => {
      await migrate(db, migrations);
      this.room.prompts.resume();
      this.room.pipelines?.resume();
      this.room.fanOut?.resume();
    });
  }

  init(input: InitInput): Result<SessionView> {
    return this.room.init(input);
  }
  view(userId: string): Result<SessionView> {
    return this.room.view(userId);
  }
  changeSettings(userId: string, body: SessionSettingsBody): Result<SessionView> {
    return this.room.changeSettings(userId, body);
  }
  publishPullRequest(userId: string): Promise<Result<Published>> {
    return this.room.publishPullRequest(userId);
  }
  pullRequestChanged(change: Parameters<SessionPullRequest["changed"]>[0]): void {
    this.room.pullRequest.changed(change);
  }
  pullRequestReviewed(review: Parameters<SessionPullRequest["reviewed"]>[0]): void {
    this.room.pullRequest.reviewed(review);
  }
  eventsAfter(
    userId: string,
    after: number,
    limit: number,
  ): Result<{ events: SessionEvent[]; lastSeq: number }> {
    return this.room.eventsAfter(userId, after, limit);
  }
  submitPrompt(author: Person, input: { clientId: string; text: string }): Result<PromptAccepted> {
    return this.room.prompts.submit(author, input);
  }
  cancelPrompt(userId: string, messageId: string): Result<{ messageId: string }> {
    return this.room.prompts.cancel(userId, messageId);
  }
  stop(userId: string): Result<{ messageId: string }> {
    return this.room.prompts.stop(userId);
  }
  createShareLink(
    userId: string,
    role: ShareRole,
    expiresInHours?: number,
  ): Promise<Result<CreatedShareLink>> {
    return this.room.shareLinks.create(userId, role, expiresInHours);
  }
  listShareLinks(userId: string): Result<ShareLink[]> {
    return this.room.shareLinks.list(userId);
  }
  revokeShareLink(userId: string, linkId: string): Result<ShareLink> {
    return this.room.shareLinks.revoke(userId, linkId);
  }
  join(person: Person, token: string): Promise<Result<{ role: Role; sessionId: string }>> {
    return this.room.shareLinks.join(person, token);
  }
  /** A participant leaves (`targetId` is the actor) or the owner removes them. */
  removeParticipant(actorId: string, targetId: string): Result<RemovedParticipant> {
    return this.room.participants.remove(actorId, targetId);
  }

  startPipelineRun(author: Person, body: StartRunBody): Promise<Result<PipelineRunView>> {
    return this.room.pipelines!.start(author, body);
  }
  pipelines(userId: string): Promise<Result<PipelineSummary[]>> {
    return this.room.pipelines!.available(userId);
  }
  pipelineRuns(userId: string): Result<PipelineRunView[]> {
    return this.room.pipelines!.runs(userId);
  }
  pipelineRun(userId: string, runId: string): Result<PipelineRunView> {
    return this.room.pipelines!.run(userId, runId);
  }
  /**
   * Starts a fan-out a person asked for (each space given `timeoutMs`, 90 s when absent); its
   * progress and answer show in the timeline.
   */
  fanOutFor(
    author: Person,
    question: string,
    spaces: string[] | null,
    timeoutMs?: number,
  ): Result<null> {
    const allowed = this.room.view(author.userId);
    if (!allowed.ok) return allowed;
    if (!this.room.fanOut)
      return {
        ok: false,
        error: { code: "misconfigured", message: "Fan-out is not available here." },
      };
    this.room.fanOut.startForPerson(author, { question, spaces, timeoutMs });
    return { ok: true, value: null };
  }
  /** Asks each space to describe itself and proposes a routing guide. */
  discoverSpaces(author: Person, org: string, drafts: SpaceDraft[]): Result<null> {
    const allowed = this.room.view(author.userId);
    if (!allowed.ok) return allowed;
    if (!this.room.fanOut)
      return {
        ok: false,
        error: { code: "misconfigured", message: "Discovery is not available here." },
      };
    this.room.fanOut.discoverForPerson(author, org, drafts);
    return { ok: true, value: null };
  }
  team(userId: string): Promise<Result<TeamView>> {
    return this.room.team!.view(userId);
  }
  teamStatus(asker: Asker): Result<LinkStatus> {
    return this.room.team!.statusFor(asker);
  }
  teamChildren(asker: Asker): Result<LinkStatus[]> {
    return this.room.team!.childrenFor(asker);
  }
  teamInbox(asker: Asker): Result<Mail[]> {
    return this.room.team!.mail.inboxFor(asker);
  }
  teamDeliver(mail: MailDelivery, asker: Asker): Result<{ woke: boolean }> {
    return this.room.team!.mail.deliver(mail, asker);
  }
  teamShutDown(asker: Asker): Result<LinkStatus> {
    return this.room.team!.shutDown(asker);
  }
  teamChildChanged(status: LinkStatus): void {
    this.room.team!.childChanged(status);
  }

  previews(userId: string): Result<Preview[]> {
    return this.room.previews!.list(userId);
  }
  exposePreview(
    userId: string,
    body: ExposePortBody,
  ): Promise<Result<{ preview: Preview; created: boolean }>> {
    return this.room.previews!.expose(userId, body);
  }
  closePreview(userId: string, port: number): Result<{ port: number }> {
    return this.room.previews!.close(userId, port);
  }
  previewGrant(userId: string, port: number): Result<null> {
    return this.room.previews!.grant(userId, port);
  }
  previewRedeem(userId: string, port: number, nonce: string, expiresAt: number): Result<null> {
    return this.room.previews!.redeem(userId, port, nonce, expiresAt);
  }
  /** Asked on every request to a preview: where it goes, if the person may still open it. */
  previewTarget(
    userId: string,
    port: number,
    again = false,
  ): Promise<Result<{ sandboxId: string }>> {
    return this.room.previews!.target(userId, port, { again });
  }

  /** Accepts a WebSocket upgrade forwarded by the Worker, which has authenticated the person. */
  override async fetch(request: Request): Promise<Response> {
    const person = JSON.parse(request.headers.get(PERSON_HEADER) ?? "null") as Person | null;
    if (!person || request.headers.get("Upgrade")?.toLowerCase() !== "websocket") {
      return new Response("expected a WebSocket upgrade", { status: 400 });
    }
    const connection = this.room.connections.connect(person.userId);
    if (!connection.ok) {
      return Response.json(
        { error: connection.error },
        { status: connection.error.code === "not_found" ? 404 : 403 },
      );
    }
    const pair = new WebSocketPair();
    this.ctx.acceptWebSocket(pair[1]);
    pair[1].serializeAttachment(connection.value);
    this.room.connections.opened(roomSocket(pair[1]));
    return new Response(null, { status: 101, webSocket: pair[0] });
  }

  override webSocketMessage(ws: WebSocket, message: string | ArrayBuffer): void {
    this.room.connections.message(roomSocket(ws), message);
  }
  override webSocketClose(ws: WebSocket, code: number): void {
    // Completing the close handshake lets the client see a clean close instead of a timeout.
    roomSocket(ws).close(code === 1005 || code === 1006 ? 1000 : code, "closed");
    this.room.connections.closed(roomSocket(ws));
  }
  override webSocketError(ws: WebSocket): void {
    this.room.connections.closed(roomSocket(ws));
  }
  override alarm(): void {
    this.room.alarm();
  }
}
