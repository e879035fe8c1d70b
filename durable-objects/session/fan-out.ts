// A fan-out from this session: one child session per space, each with its own context, a
// per-space timeout, and one synthesized comparison recorded in the timeline.
import {
  DEFAULT_SPACE_TIMEOUT_MS,
  nothingToCompare,
  spacePrompt,
  SYNTHESIS_MAX_TOKENS,
  SYNTHESIS_SYSTEM,
  synthesisMessage,
  timeoutReason,
  withSkippedNamed,
  type SkippedSpace,
  type SpaceAnswer,
} from "../../orchestration/fan-out.ts";
import {
  classifyRequest,
  type Ask,
  type AskUsage,
} from "../../orchestration/routing/classifier.ts";
import { fail, ok, type Result } from "../../protocol/errors.ts";
import type { Person } from "../../protocol/events.ts";
import type { RoutingGuide, Space } from "../../protocol/routing.ts";
import type { RoomContext } from "./room-context.ts";
import {
  proposeGuide,
  summaryPrompt,
  type Proposal,
  type SpaceDraft,
} from "../../orchestration/routing/discovery.ts";
import { guideToMarkdown } from "../../orchestration/routing/guide-markdown.ts";
import type { SessionTeam } from "./team.ts";

export interface FanOutDeps {
  /** The routing guide of an organisation. */
  guide(org: string): Promise<RoutingGuide>;
  /** The fast model that routes and compares; null without a model server. */
  ask: Ask | null;
  /** Keeps a proposed guide for people to review (unless the organisation has one already). */
  propose(guide: RoutingGuide): Promise<void>;
  /** Charges the session for a fast-model call it made. */
  charge(usage: AskUsage): void;
}

export interface FanOutRequest {
  question: string;
  /** Space names; the classifier chooses from the guide when null. */
  spaces: readonly string[] | null;
  timeoutMs?: number;
}

export interface FanOutResult {
  fanOutId: string;
  answers: SpaceAnswer[];
  skipped: SkippedSpace[];
  synthesis: string;
}

export class SessionFanOut {
  private readonly room: RoomContext;
  private readonly team: SessionTeam;
  private readonly deps: FanOutDeps;

  constructor(room: RoomContext, team: SessionTeam, deps: FanOutDeps) {
    this.room = room;
    this.team = team;
    this.deps = deps;
  }

  async run(
    author: Person,
    request: FanOutRequest,
    signal: AbortSignal,
  ): Promise<Result<FanOutResult>> {
    const ask = this.deps.ask;
    if (!ask) return fail("misconfigured", "No model is configured to compare the answers.");
    const org = this.room.store.meta()!.repo.split("/")[0]!;
    const guide = await this.deps.guide(org);
    const chosen = await this.choose(guide, request, ask);
    if (!chosen.ok) return chosen;
    const { spaces, skipped } = chosen.value;
    const fanOutId = this.room.id("run").replace(/^run_/, "fan_");
    const timeoutMs = request.timeoutMs ?? DEFAULT_SPACE_TIMEOUT_MS;
    this.room.record({
      type: "team.fan_out_started",
      actor: author,
      data: { fanOutId, question: request.question, spaces: spaces.map((s) => s.name), skipped },
    });
    const asked = await this.askSpaces(
      author,
      spaces.map((space) => ({
        name: space.name,
        repo: space.repo,
        title: `${space.name}: ${request.question.slice(0, 120)}`,
        prompt: spacePrompt(space, request.question),
      })),
      timeoutMs,
      signal,
    );
    if (!asked.ok) return asked;
    const answers = asked.value.answers;
    skipped.push(...asked.value.skipped);
    const synthesis =
      answers.length === 0
        ? nothingToCompare(skipped)
        : withSkippedNamed(
            await ask({
              system: SYNTHESIS_SYSTEM,
              user: synthesisMessage(request.question, answers, skipped),
              maxTokens: SYNTHESIS_MAX_TOKENS,
              purpose: "synthesis",
              onUsage: this.deps.charge,
            }),
            skipped,
          );
    this.room.record({
      type: "team.fan_out_finished",
      actor: null,
      data: {
        fanOutId,
        question: request.question,
        answered: answers.map((a) => ({ space: a.space, sessionId: a.sessionId })),
        skipped,
        synthesis,
      },
    });
    return ok({ fanOutId, answers, skipped, synthesis });
  }

  /** Asks each space in a child session of its own; what came back in time, and who was skipped. */
  async askSpaces(
    author: Person,
    targets: readonly { name: string; repo: string; title: string; prompt: string }[],
    timeoutMs: number,
    signal: AbortSignal,
  ): Promise<Result<{ answers: SpaceAnswer[]; skipped: SkippedSpace[] }>> {
    const skipped: SkippedSpace[] = [];
    const started: { name: string; sessionId: string }[] = [];
    for (const target of targets) {
      const spawned = await this.team.spawn(author, {
        prompt: target.prompt,
        title: target.title,
        repo: target.repo,
        role: target.name,
        name: null,
      });
      if (spawned.ok) started.push({ name: target.name, sessionId: spawned.value.sessionId });
      else
        skipped.push({
          space: target.name,
          reason: `could not be asked: ${spawned.error.message}`,
        });
    }
    const answers: SpaceAnswer[] = [];
    if (started.length === 0) return ok({ answers, skipped });
    const waited = await this.team.wait(
      started.map((s) => s.sessionId),
      timeoutMs,
      signal,
    );
    if (!waited.ok) return waited;
    for (const { name, sessionId } of started) {
      const finished = waited.value.finished.find((s) => s.sessionId === sessionId);
      if (!finished) {
        skipped.push({ space: name, reason: timeoutReason(timeoutMs) });
        await this.team.cancel(sessionId).catch(() => null);
      } else if (finished.lastTurn !== "done" || !finished.summary) {
        skipped.push({
          space: name,
          reason: `ended without an answer (its turn ${finished.lastTurn ?? "did not finish"})`,
        });
      } else {
        answers.push({ space: name, sessionId, answer: finished.summary });
      }
    }
    return ok({ answers, skipped });
  }

  /** Asks every space for a one-paragraph summary and proposes a guide from the answers. */
  async discover(
    author: Person,
    org: string,
    drafts: readonly SpaceDraft[],
    signal: AbortSignal,
  ): Promise<Result<Proposal>> {
    const asked = await this.askSpaces(
      author,
      drafts.map((space) => ({
        name: space.name,
        repo: space.repo,
        title: `Describe ${space.name} for the routing guide`,
        prompt: summaryPrompt(space),
      })),
      DEFAULT_SPACE_TIMEOUT_MS,
      signal,
    );
    if (!asked.ok) return asked;
    const proposal = proposeGuide(
      org,
      drafts.map((space) => ({
        space,
        summary: asked.value.answers.find((a) => a.space === space.name)?.answer ?? null,
      })),
    );
    const skipped = [
      ...asked.value.skipped,
      ...proposal.skipped.filter((s) => !asked.value.skipped.some((a) => a.space === s.space)),
    ];
    if (proposal.guide.spaces.length > 0) await this.deps.propose(proposal.guide);
    this.room.record({
      type: "routing.proposed",
      actor: author,
      data: { org, markdown: guideToMarkdown(proposal.guide.spaces), skipped },
    });
    return ok({ ...proposal, skipped });
  }

  /** The spaces asked and those left out: as named, or as the classifier decides. */
  private async choose(
    guide: RoutingGuide,
    request: FanOutRequest,
    ask: Ask,
  ): Promise<Result<{ spaces: Space[]; skipped: SkippedSpace[] }>> {
    const names = guide.spaces.map((s) => s.name);
    if (guide.spaces.length === 0) {
      return fail(
        "not_found",
        `${guide.org} has no routing guide, so there are no spaces to ask. Define one with PUT /api/orgs/${guide.org}/routing or a .tandem/routing.md table.`,
      );
    }
    if (request.spaces) {
      const unknown = request.spaces.filter((name) => !names.includes(name));
      if (unknown.length > 0) {
        return fail(
          "not_found",
          `No space named ${unknown.join(", ")} in ${guide.org}'s routing guide; the spaces are ${names.join(", ")}.`,
        );
      }
      return ok({
        spaces: guide.spaces.filter((s) => request.spaces!.includes(s.name)),
        skipped: [],
      });
    }
    const decision = await classifyRequest(
      { request: request.question, guide, fanOut: true, onUsage: this.deps.charge },
      ask,
    );
    switch (decision.kind) {
      case "unknown":
        return fail(
          "conflict",
          `Which spaces this spans is unclear: ${decision.question} (candidates: ${decision.candidates.join(", ") || names.join(", ")}). Name the spaces to ask.`,
        );
      case "space":
        return ok({ spaces: guide.spaces.filter((s) => s.name === decision.space), skipped: [] });
      case "fan_out":
        return ok({
          spaces: guide.spaces.filter((s) => decision.spaces.includes(s.name)),
          skipped: decision.skipped,
        });
      default:
        decision satisfies never;
        return fail("internal", "unknown routing decision");
    }
  }
}
