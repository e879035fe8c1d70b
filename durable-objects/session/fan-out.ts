// A fan-out from this session: one child session per space, each with its own context, a
// per-space timeout, and what the answers are for: one synthesized comparison recorded in the
// timeline, or (discovery) a proposed routing guide. A fan-out a person started is kept in
// storage as it goes and resumes after a restart; one inside a turn resumes with its turn.
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
import type { TeamStore } from "./team-store.ts";
import {
  orphansOf,
  stillToAsk,
  waitLeftMs,
  type Asked,
  type FanOutAim,
  type FanOutPlan,
  type SpaceTarget,
} from "./fan-out-plan.ts";

export interface FanOutDeps {
  /** The routing guide of an organisation. */
  guide(org: string): Promise<RoutingGuide>;
  /** The fast model that routes and compares; null without a model server. */
  ask: Ask | null;
  /** Keeps a proposed guide for people to review (unless the organisation has one already). */
  propose(guide: RoutingGuide): Promise<void>;
  /** Charges the session for a fast-model call it made. */
  charge(usage: AskUsage): void;
  /** Where fan-outs people started are kept until they end. */
  store: TeamStore;
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

/** What a fan-out ends with: the comparison, or the discovery's proposal. */
type Outcome = FanOutResult | Proposal;

/** Wakes the object while a person's fan-out runs, to resume one that a restart cut off. */
export const FAN_OUT_WATCHDOG_DEADLINE = "team.fan_out";
/** How long a running fan-out may go without the object being awake before the alarm checks it. */
const FAN_OUT_WATCHDOG_MS = 30_000;

/** Keeps a run's progress; null for a fan-out inside a turn, which resumes with the turn. */
type Save = ((progress: { asked: Asked[]; deadline: number | null }) => void) | null;

export class SessionFanOut {
  private readonly room: RoomContext;
  private readonly team: SessionTeam;
  private readonly deps: FanOutDeps;
  /** The stored fan-outs this object is running now; empty after a restart. */
  private readonly running = new Set<string>();

  constructor(room: RoomContext, team: SessionTeam, deps: FanOutDeps) {
    this.room = room;
    this.team = team;
    this.deps = deps;
  }

  /** Starts a fan-out a person asked for, kept so that it resumes after a restart; never waits. */
  startForPerson(author: Person, request: FanOutRequest): void {
    this.inBackground(
      this.run(author, request, new AbortController().signal, true),
      "The fan-out could not run",
    );
  }

  /** Starts a discovery a person asked for, kept so it resumes after a restart; never waits. */
  discoverForPerson(author: Person, org: string, drafts: readonly SpaceDraft[]): void {
    this.inBackground(
      this.discover(author, org, drafts, new AbortController().signal, true),
      "Discovery could not run",
    );
  }

  /**
   * Asks the spaces and records one synthesis. `durable` keeps the fan-out in storage as it goes,
   * for a person's fan-out; a fan-out inside a turn resumes with the turn instead.
   */
  async run(
    author: Person,
    request: FanOutRequest,
    signal: AbortSignal,
    durable = false,
  ): Promise<Result<FanOutResult>> {
    const ask = this.deps.ask;
    if (!ask) return fail("misconfigured", "No model is configured to compare the answers.");
    const org = this.room.store.meta()!.repo.split("/")[0]!;
    const guide = await this.deps.guide(org);
    const chosen = await this.choose(guide, request, ask);
    if (!chosen.ok) return chosen;
    const { spaces, skipped } = chosen.value;
    const plan = this.plan(
      author,
      { kind: "compare", question: request.question, skipped },
      spaces.map((space) => ({
        name: space.name,
        repo: space.repo,
        title: `${space.name}: ${request.question.slice(0, 120)}`,
        prompt: spacePrompt(space, request.question),
      })),
      request.timeoutMs ?? DEFAULT_SPACE_TIMEOUT_MS,
    );
    this.room.record({
      type: "team.fan_out_started",
      actor: author,
      data: {
        fanOutId: plan.id,
        question: request.question,
        spaces: spaces.map((s) => s.name),
        skipped,
      },
    });
    if (durable) this.deps.store.startFanOut(plan);
    const done = durable ? await this.runStored(plan) : await this.complete(plan, signal, null);
    if (!done.ok) return done;
    return "fanOutId" in done.value ? ok(done.value) : fail("internal", "not a comparison");
  }

  /** Asks every space for a one-paragraph summary and proposes a guide from the answers. */
  async discover(
    author: Person,
    org: string,
    drafts: readonly SpaceDraft[],
    signal: AbortSignal,
    durable = false,
  ): Promise<Result<Proposal>> {
    const plan = this.plan(
      author,
      { kind: "discover", org, drafts: [...drafts] },
      drafts.map((space) => ({
        name: space.name,
        repo: space.repo,
        title: `Describe ${space.name} for the routing guide`,
        prompt: summaryPrompt(space),
      })),
      DEFAULT_SPACE_TIMEOUT_MS,
    );
    if (durable) this.deps.store.startFanOut(plan);
    const done = durable ? await this.runStored(plan) : await this.complete(plan, signal, null);
    if (!done.ok) return done;
    return "guide" in done.value ? ok(done.value) : fail("internal", "not a proposal");
  }

  /** After a restart: every stored fan-out this object is not running goes on where it stopped. */
  resume(): void {
    for (const stored of this.deps.store.unfinishedFanOuts()) {
      if (this.running.has(stored.id)) continue;
      const adopted = orphansOf(stored, this.deps.store.children());
      const plan = { ...stored, asked: [...stored.asked, ...adopted] };
      this.room.deps.log("team.fan_out.resumed", { fanOutId: plan.id, adopted: adopted.length });
      this.inBackground(this.runStored(plan), "The fan-out could not go on");
    }
  }

  /** The watchdog deadline came round: resume a fan-out nobody runs, and keep watching. */
  watchdog(): void {
    if (this.deps.store.unfinishedFanOuts().length === 0) return;
    this.armWatchdog();
    this.resume();
  }

  private plan(
    author: Person,
    aim: FanOutAim,
    targets: SpaceTarget[],
    timeoutMs: number,
  ): FanOutPlan {
    return {
      id: this.room.id("run").replace(/^run_/, "fan_"),
      author,
      aim,
      targets,
      asked: [],
      timeoutMs,
      deadline: null,
      startedAt: this.room.now(),
    };
  }

  private inBackground(work: Promise<Result<unknown>>, failure: string): void {
    this.room.deps.background(
      work.then((done) => void (done.ok || this.notice(`${failure}: ${done.error.message}`))),
    );
  }

  private armWatchdog(): void {
    const store = this.room.store;
    store.setDeadline(FAN_OUT_WATCHDOG_DEADLINE, this.room.now() + FAN_OUT_WATCHDOG_MS);
    this.room.deps.setAlarm(store.earliestDeadline());
  }

  /**
   * Runs a fan-out kept in storage to its end, saving each step. One that fails (no model, a model
   * call that throws) is ended with a notice, so it is not resumed again and again; an object that
   * went away cannot write that end, so its fan-out resumes when the object starts again.
   */
  private async runStored(plan: FanOutPlan): Promise<Result<Outcome>> {
    this.running.add(plan.id);
    this.armWatchdog();
    try {
      const done = await this.complete(plan, new AbortController().signal, (progress) =>
        this.deps.store.saveFanOutProgress(plan.id, progress),
      );
      if (!done.ok) this.finishStored(plan.id);
      return done;
    } catch (error) {
      this.finishStored(plan.id);
      return fail("internal", String(error));
    } finally {
      this.running.delete(plan.id);
    }
  }

  private finishStored(id: string): void {
    this.deps.store.finishFanOut(id, this.room.now());
    if (this.deps.store.unfinishedFanOuts().length === 0) {
      this.room.store.clearDeadline(FAN_OUT_WATCHDOG_DEADLINE);
    }
  }

  private notice(text: string): void {
    this.room.record({
      type: "agent.notice",
      actor: null,
      data: { messageId: null, level: "warning", text },
    });
  }

  /** Asks the spaces not asked yet, waits for the children until the deadline, ends as aimed. */
  private async complete(
    plan: FanOutPlan,
    signal: AbortSignal,
    save: Save,
  ): Promise<Result<Outcome>> {
    const asked = await this.askSpaces(plan.author, plan.targets, plan.timeoutMs, signal, {
      asked: plan.asked,
      deadline: plan.deadline,
      save,
    });
    if (!asked.ok) return asked;
    const stored = save !== null;
    switch (plan.aim.kind) {
      case "compare":
        return this.compare(plan.id, plan.aim, asked.value, stored);
      case "discover":
        return ok(await this.propose(plan, plan.aim, asked.value, stored));
      default:
        plan.aim satisfies never;
        return fail("internal", "unknown fan-out aim");
    }
  }

  // Each ending records its event and finishes the stored fan-out in one synchronous step after
  // its last await, so a restart sees either both or neither.

  /** Writes the synthesis of the answers and records it. */
  private async compare(
    fanOutId: string,
    aim: Extract<FanOutAim, { kind: "compare" }>,
    asked: { answers: SpaceAnswer[]; skipped: SkippedSpace[] },
    stored: boolean,
  ): Promise<Result<FanOutResult>> {
    const ask = this.deps.ask;
    if (!ask) return fail("misconfigured", "No model is configured to compare the answers.");
    const answers = asked.answers;
    const skipped = [...aim.skipped, ...asked.skipped];
    const synthesis =
      answers.length === 0
        ? nothingToCompare(skipped)
        : withSkippedNamed(
            await ask({
              system: SYNTHESIS_SYSTEM,
              user: synthesisMessage(aim.question, answers, skipped),
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
        question: aim.question,
        answered: answers.map((a) => ({ space: a.space, sessionId: a.sessionId })),
        skipped,
        synthesis,
      },
    });
    if (stored) this.finishStored(fanOutId);
    return ok({ fanOutId, answers, skipped, synthesis });
  }

  /** Proposes a guide from the spaces' summaries and records it. */
  private async propose(
    plan: FanOutPlan,
    aim: Extract<FanOutAim, { kind: "discover" }>,
    asked: { answers: SpaceAnswer[]; skipped: SkippedSpace[] },
    stored: boolean,
  ): Promise<Proposal> {
    const proposal = proposeGuide(
      aim.org,
      aim.drafts.map((space) => ({
        space,
        summary: asked.answers.find((a) => a.space === space.name)?.answer ?? null,
      })),
    );
    const skipped = [
      ...asked.skipped,
      ...proposal.skipped.filter((s) => !asked.skipped.some((a) => a.space === s.space)),
    ];
    if (proposal.guide.spaces.length > 0) await this.deps.propose(proposal.guide);
    this.room.record({
      type: "routing.proposed",
      actor: plan.author,
      data: { org: aim.org, markdown: guideToMarkdown(proposal.guide.spaces), skipped },
    });
    if (stored) this.finishStored(plan.id);
    return { ...proposal, skipped };
  }

  /**
   * Asks each space in a child session of its own; what came back in time, and who was skipped.
   * `progress` carries what was asked before a restart and the original deadline, and its `save`
   * keeps each step.
   */
  async askSpaces(
    author: Person,
    targets: readonly SpaceTarget[],
    timeoutMs: number,
    signal: AbortSignal,
    progress: { asked: readonly Asked[]; deadline: number | null; save: Save } = {
      asked: [],
      deadline: null,
      save: null,
    },
  ): Promise<Result<{ answers: SpaceAnswer[]; skipped: SkippedSpace[] }>> {
    const asked = [...progress.asked];
    for (const target of stillToAsk(targets, asked)) {
      const spawned = await this.team.spawn(author, {
        prompt: target.prompt,
        title: target.title,
        repo: target.repo,
        role: target.name,
        name: null,
      });
      asked.push(
        spawned.ok
          ? { space: target.name, sessionId: spawned.value.sessionId }
          : { space: target.name, reason: `could not be asked: ${spawned.error.message}` },
      );
      progress.save?.({ asked, deadline: null });
    }
    const deadline = progress.deadline ?? this.room.now() + timeoutMs;
    if (progress.deadline === null) progress.save?.({ asked, deadline });
    const skipped: SkippedSpace[] = asked.flatMap((a) =>
      "reason" in a ? [{ space: a.space, reason: a.reason }] : [],
    );
    const started = asked.flatMap((a) =>
      "sessionId" in a ? [{ name: a.space, sessionId: a.sessionId }] : [],
    );
    const answers: SpaceAnswer[] = [];
    if (started.length === 0) return ok({ answers, skipped });
    const waited = await this.team.wait(
      started.map((s) => s.sessionId),
      waitLeftMs(deadline, this.room.now()),
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
