// Pipeline runs in a session: each role's round is a turn of the session's agent with its own
// conversation; contracts are checked before and after each role, the handoff log is kept, and a
// run interrupted by a restart goes on at the role that did not finish.
import { checkConditions, brokenContractReason } from "../../orchestration/pipelines/contracts.ts";
import type { ContractProbe, ContractSubject } from "../../orchestration/pipelines/contracts.ts";
import type { Condition } from "../../orchestration/pipelines/condition.ts";
import type { PipelineDefinition } from "../../orchestration/pipelines/definition.ts";
import { handoffFrom } from "../../orchestration/pipelines/handoff.ts";
import { logEntry } from "../../orchestration/pipelines/run-log.ts";
import { rolePrompt, type RoleNote } from "../../orchestration/pipelines/role-prompt.ts";
import {
  beginStep,
  completeStep,
  failStep,
  inputOf,
  skipReason,
  skipStep,
  startRun,
  subjectAfter,
  type NextStep,
  type RunState,
} from "../../orchestration/pipelines/run-state.ts";
import type { RolePort } from "../../agent/tools/pipeline/port.ts";
import { fail, ok, type Result } from "../../protocol/errors.ts";
import type { Person } from "../../protocol/events.ts";
import type { PipelineRunView, PipelineSummary, StartRunBody } from "../../protocol/pipelines.ts";
import type { PipelineStore, RoleTurn, StoredRun } from "./pipeline-store.ts";
import type { Prompts } from "./prompts.ts";
import type { RoomContext } from "./room-context.ts";

/** Where definitions and role notes live (D1, and the repository's own files). */
export interface PipelineLibrary {
  /** The pipelines this session can run: the repository's own files first, then registered ones. */
  available(repo: string): Promise<PipelineSummary[]>;
  definition(repo: string, name: string): Promise<Result<PipelineDefinition>>;
  notes(repo: string, pipeline: string, role: string): Promise<RoleNote[]>;
  addNote(
    note: { repo: string; pipeline: string; role: string; text: string; sessionId: string },
    at: number,
  ): Promise<void>;
}

export interface PipelineDeps {
  store: PipelineStore;
  library: PipelineLibrary;
  /** Checks contract conditions that need the workspace (changes, commands). */
  probe: ContractProbe;
}

const TERMINAL = new Set(["done", "stopped", "failed", "cancelled"]);

export class SessionPipelines {
  private readonly room: RoomContext;
  private readonly deps: PipelineDeps;
  private prompts: Prompts | null = null;
  /** One advance at a time per run. */
  private readonly running = new Map<string, Promise<void>>();

  constructor(room: RoomContext, deps: PipelineDeps) {
    this.room = room;
    this.deps = deps;
  }

  attach(prompts: Prompts): void {
    this.prompts = prompts;
  }

  async start(author: Person, body: StartRunBody): Promise<Result<PipelineRunView>> {
    const allowed = this.room.authorize(author.userId, "prompt");
    if (!allowed.ok) return allowed;
    const existing = this.deps.store.runByClientId(`${author.userId}:${body.clientId}`);
    if (existing) return ok(this.viewOf(existing));
    const meta = this.room.store.meta()!;
    const definition = await this.deps.library.definition(meta.repo, body.pipeline);
    if (!definition.ok) return definition;
    const at = this.room.now();
    const run: StoredRun = {
      id: this.room.id("run"),
      clientId: `${author.userId}:${body.clientId}`,
      definition: definition.value,
      request: body.request,
      startedBy: author.userId,
      state: startRun(definition.value, at),
    };
    this.deps.store.insertRun(run, at);
    this.room.record({
      type: "pipeline.run_started",
      actor: author,
      data: { runId: run.id, pipeline: definition.value.name, request: body.request },
    });
    this.advance(run.id);
    return ok(this.viewOf(run));
  }

  /** The pipelines a participant can start here. */
  async available(userId: string): Promise<Result<PipelineSummary[]>> {
    const allowed = this.room.authorize(userId, "read");
    if (!allowed.ok) return allowed;
    return ok(await this.deps.library.available(this.room.store.meta()!.repo));
  }

  runs(userId: string): Result<PipelineRunView[]> {
    const allowed = this.room.authorize(userId, "read");
    if (!allowed.ok) return allowed;
    return ok(this.deps.store.runs().map((run) => this.viewOf(run)));
  }

  run(userId: string, runId: string): Result<PipelineRunView> {
    const allowed = this.room.authorize(userId, "read");
    if (!allowed.ok) return allowed;
    const run = this.deps.store.run(runId);
    return run ? ok(this.viewOf(run)) : fail("not_found", "No pipeline run with that id here.");
  }

  /** After a restart, and whenever the queue changed: runs whose role turn ended go on. */
  resume(): void {
    for (const run of this.deps.store.runs()) {
      if (run.state.status === "completed" || run.state.status === "failed") continue;
      const step = run.state.steps.at(-1);
      if (step?.status !== "in_progress") {
        this.advance(run.id);
        continue;
      }
      const prompt = this.deps.store.promptOf(turnClientId(run.id, step.role, step.round));
      if (!prompt || TERMINAL.has(prompt.state)) this.advance(run.id);
    }
  }

  /** The role turn a prompt runs, if it is one. */
  roleTurn(clientId: string): (RoleTurn & { run: StoredRun }) | null {
    const turn = this.deps.store.turn(clientId);
    const run = turn && this.deps.store.run(turn.runId);
    return turn && run ? { ...turn, run } : null;
  }

  /** Which stored prompts belong in a turn's conversation: its role's thread, or everything else. */
  conversationFilter(clientId: string): (promptId: string) => boolean {
    const turn = this.deps.store.turn(clientId);
    if (turn) {
      const thread = this.deps.store.threadPrompts(turn.runId, turn.role);
      return (promptId) => thread.has(promptId);
    }
    const roles = this.deps.store.allRolePrompts();
    return (promptId) => !roles.has(promptId);
  }

  /** The handoff and note tools of one role turn. */
  forRole(turn: RoleTurn & { run: StoredRun }): RolePort {
    const repo = this.room.store.meta()!.repo;
    const pipeline = turn.run.definition.name;
    return {
      role: turn.role,
      handoff: (input) => {
        if (this.deps.store.turn(turn.clientId)?.handoff) {
          return fail("conflict", "You already handed over in this turn; end the turn now.");
        }
        this.deps.store.saveHandoff(turn.clientId, handoffFrom(turn.role, input));
        return ok({ next: "End your turn now; the run goes on when it ends." });
      },
      note: async (text) => {
        const at = this.room.now();
        await this.deps.library.addNote(
          { repo, pipeline, role: turn.role, text, sessionId: this.room.store.meta()!.id },
          at,
        );
        this.room.record({
          type: "pipeline.note_added",
          actor: null,
          data: { pipeline, role: turn.role, text, source: "agent" },
        });
        return ok(null);
      },
    };
  }

  /** Moves a run forward as far as it can go now, one advance at a time. */
  private advance(runId: string): void {
    const previous = this.running.get(runId) ?? Promise.resolve();
    const next = previous
      .then(() => this.step(runId))
      .catch((error: unknown) => {
        this.room.deps.log("pipeline.advance.failed", { runId, error: String(error) });
      })
      .finally(() => {
        if (this.running.get(runId) === next) this.running.delete(runId);
      });
    this.running.set(runId, next);
    this.room.deps.background(next);
  }

  private async step(runId: string): Promise<void> {
    for (;;) {
      const run = this.deps.store.run(runId);
      if (!run || run.state.status === "completed" || run.state.status === "failed") return;
      const step = run.state.steps.at(-1)!;
      const role = run.definition.roles.find((r) => r.name === step.role)!;
      if (step.status === "pending") {
        const input = inputOf(run.state);
        const skip = skipReason(role, input);
        if (skip) {
          const skipped = skipStep(run.definition, run.state, skip, this.room.now());
          if (this.settle(run, skipped.state, skipped.next)) return;
          continue;
        }
        const broken = await this.check(role.name, "input", role.input, input);
        if (broken) return this.fail(run, broken);
        const begun = beginStep(run.state, this.room.now());
        this.save(run, begun);
        return this.queueTurn({ ...run, state: begun });
      }
      if (step.status !== "in_progress") return;
      const clientId = turnClientId(run.id, step.role, step.round);
      const prompt = this.deps.store.promptOf(clientId);
      // Begun but never queued (a restart in between): queue it now.
      if (!prompt) return this.queueTurn(run);
      if (!TERMINAL.has(prompt.state)) return;
      const turn = this.deps.store.turn(clientId);
      if (prompt.state !== "done") {
        return this.fail(
          run,
          `The \`${step.role}\` turn ended ${prompt.state} before handing over.`,
        );
      }
      if (!turn?.handoff) {
        return this.fail(
          run,
          `\`${step.role}\` ended its turn without calling handoff, so the next role has nothing to go on.`,
        );
      }
      const broken = await this.check(
        role.name,
        "output",
        role.output,
        subjectAfter(run.state, turn.handoff),
      );
      if (broken) return this.fail(run, broken, turn.handoff);
      const completed = completeStep(run.definition, run.state, turn.handoff, this.room.now());
      if (this.settle(run, completed.state, completed.next)) return;
    }
  }

  /** Queues the current step's turn with its role's prompt. */
  private async queueTurn(run: StoredRun): Promise<void> {
    const step = run.state.steps.at(-1)!;
    const role = run.definition.roles.find((r) => r.name === step.role)!;
    const clientId = turnClientId(run.id, step.role, step.round);
    const repo = this.room.store.meta()!.repo;
    const notes = await this.deps.library.notes(repo, run.definition.name, role.name);
    this.deps.store.addTurn({ clientId, runId: run.id, role: role.name, round: step.round });
    const author = this.room.store.participant(run.startedBy)?.person;
    if (!author || !this.prompts) return this.fail(run, "The person who started the run left.");
    const text = rolePrompt({
      pipeline: run.definition,
      role,
      request: run.request,
      round: step.round,
      notes,
      input: inputOf(run.state),
    });
    const queued = this.prompts.submit(author, { clientId, text });
    if (!queued.ok)
      this.fail(run, `The \`${role.name}\` turn could not be queued: ${queued.error.message}`);
  }

  /** Checks one side of a role's contract; the reason it broke, or null. */
  private async check(
    role: string,
    side: "input" | "output",
    conditions: readonly Condition[],
    subject: ContractSubject,
  ): Promise<string | null> {
    if (conditions.length === 0) return null;
    try {
      const checked = await checkConditions(conditions, subject, this.deps.probe);
      return checked.ok ? null : brokenContractReason(role, side, checked.failed);
    } catch (error) {
      return `The ${side} contract of \`${role}\` could not be checked: ${error instanceof Error ? error.message : String(error)}`;
    }
  }

  /** Saves a step's outcome and what it leads to; true when the run ended. */
  private settle(run: StoredRun, state: RunState, next: NextStep): boolean {
    this.save(run, state);
    if ("end" in next) {
      this.finish(run.id, "completed", null);
      return true;
    }
    if ("failed" in next) {
      this.finish(run.id, "failed", next.failed);
      return true;
    }
    return false;
  }

  private fail(run: StoredRun, reason: string, handoff?: RoleTurn["handoff"]): void {
    this.save(run, failStep(run.state, reason, this.room.now(), handoff ?? undefined));
    this.finish(run.id, "failed", reason);
  }

  /** Stores the state and logs each step whose status changed. */
  private save(run: StoredRun, state: RunState): void {
    this.deps.store.saveState(run.id, state);
    state.steps.forEach((step, i) => {
      const before = run.state.steps[i];
      if (before && before.status === step.status) return;
      const entry = logEntry(step, run.definition.maxRounds, state.updatedAt);
      if (!entry) return;
      this.deps.store.appendLog(run.id, entry);
      this.room.record({ type: "pipeline.handoff", actor: null, data: { runId: run.id, entry } });
    });
    run.state = state;
  }

  private finish(runId: string, status: "completed" | "failed", reason: string | null): void {
    this.room.record({
      type: "pipeline.run_finished",
      actor: null,
      data: { runId, status, reason },
    });
  }

  private viewOf(run: StoredRun): PipelineRunView {
    const startedBy = this.room.store.participant(run.startedBy)?.person ?? {
      userId: run.startedBy,
      login: "unknown",
      name: null,
      avatarUrl: null,
    };
    return {
      id: run.id,
      pipeline: run.definition.name,
      roles: run.definition.roles.map((role) => role.name),
      maxRounds: run.definition.maxRounds,
      request: run.request,
      startedBy,
      status: run.state.status,
      currentRole: run.state.currentRole,
      startedAt: run.state.startedAt,
      updatedAt: run.state.updatedAt,
      reason: run.state.reason,
      steps: run.state.steps,
      log: this.deps.store.log(run.id),
    };
  }
}

/** The client id of the prompt that runs one round of one role. */
export function turnClientId(runId: string, role: string, round: number): string {
  return `run:${runId}:${role}:${round}`;
}
