// One run of a pipeline as a pure state machine: which role runs, what each step handed over, where it goes next.
import { describeCondition, holds } from "./contracts.ts";
import type { ContractSubject } from "./contracts.ts";
import { END } from "./definition.ts";
import type { PipelineDefinition, RoleDefinition } from "./definition.ts";
import { accumulatedFields } from "./handoff.ts";
import type { Handoff } from "./handoff.ts";

/** Where one step stands. */
export type StepStatus = "pending" | "in_progress" | "completed" | "failed" | "skipped";

/** One run of one role; a role that runs again in a loop gets a new step with the next round. */
export interface RunStep {
  role: string;
  /** 1-based count of this role's steps in the run. */
  round: number;
  status: StepStatus;
  startedAt: number | null;
  updatedAt: number;
  handoff: Handoff | null;
  /** Why the step was skipped or failed. */
  reason: string | null;
}

/** The whole run: its steps in the order they ran, the last one the current. */
export interface RunState {
  status: "pending" | "in_progress" | "completed" | "failed";
  currentRole: string | null;
  steps: RunStep[];
  startedAt: number;
  updatedAt: number;
  reason: string | null;
}

/** What a finished step leads to: another role, the end of the run, or the run failing. */
export type NextStep = { role: string } | { end: true } | { failed: string };

/** What the next role receives: the fields handed over so far and the last handoff. */
export interface RoleInput extends ContractSubject {
  handoff: Handoff | null;
}

/** A new run, waiting for its first role. */
export function startRun(definition: PipelineDefinition, now: number): RunState {
  const first = roleAt(definition, 0);
  return {
    status: "pending",
    currentRole: first.name,
    steps: [pendingStep(first.name, 1, now)],
    startedAt: now,
    updatedAt: now,
    reason: null,
  };
}

/** The current step starts; a step interrupted while running starts over in the same round. */
export function beginStep(state: RunState, now: number): RunState {
  current(state);
  return withCurrent(state, { status: "in_progress", startedAt: now }, now, "in_progress");
}

/** The current step handed over; the first `next` entry that holds, else the following role, runs next. */
export function completeStep(
  definition: PipelineDefinition,
  state: RunState,
  handoff: Handoff,
  now: number,
): { state: RunState; next: NextStep } {
  const step = current(state);
  if (handoff.role !== step.role)
    throw new Error(`a handoff of ${handoff.role} cannot complete the step of ${step.role}`);
  const done = withCurrent(
    state,
    { status: "completed", handoff, reason: null },
    now,
    "in_progress",
  );
  return advance(definition, done, step.role, subjectAfter(state, handoff), now);
}

/** The current step is skipped; the run goes on as if it handed over nothing. */
export function skipStep(
  definition: PipelineDefinition,
  state: RunState,
  reason: string,
  now: number,
): { state: RunState; next: NextStep } {
  const step = current(state);
  const handoff: Handoff = {
    role: step.role,
    status: "skipped",
    summary: reason,
    verdict: null,
    fields: {},
  };
  const skipped = withCurrent(state, { status: "skipped", handoff, reason }, now, "in_progress");
  return advance(definition, skipped, step.role, { ...inputOf(state), verdict: null }, now);
}

/** The current step fails, and the run with it; what the role handed over, if anything, is kept. */
export function failStep(
  state: RunState,
  reason: string,
  now: number,
  handoff?: Handoff,
): RunState {
  current(state);
  const kept = handoff === undefined ? null : { ...handoff, status: "failed" as const };
  const failed = withCurrent(state, { status: "failed", handoff: kept, reason }, now, "failed");
  return { ...failed, currentRole: null, reason };
}

/** The role whose step did not finish, where an interrupted run picks up; null once the run is over. */
export function resumePoint(state: RunState): string | null {
  if (state.status === "completed" || state.status === "failed") return null;
  const last = state.steps.at(-1);
  return last !== undefined && isOpen(last) ? last.role : null;
}

/** What the current role receives: fields over every completed step, the last completed step's handoff. */
export function inputOf(state: RunState): RoleInput {
  const handoffs = completedHandoffs(state);
  const handoff = handoffs.at(-1) ?? null;
  return { fields: accumulatedFields(handoffs), verdict: handoff?.verdict ?? null, handoff };
}

/** What a role's output contract is checked against once it hands this over. */
export function subjectAfter(state: RunState, handoff: Handoff): ContractSubject {
  return {
    fields: accumulatedFields([...completedHandoffs(state), handoff]),
    verdict: handoff.verdict,
  };
}

/** Why the role is skipped, when its `skip_when` holds for its input; null when it runs. */
export function skipReason(role: RoleDefinition, input: ContractSubject): string | null {
  if (role.skipWhen.length === 0 || !holds(role.skipWhen, input)) return null;
  return `its skip_when held: ${role.skipWhen.map(describeCondition).join(", and ")}`;
}

function advance(
  definition: PipelineDefinition,
  state: RunState,
  from: string,
  subject: ContractSubject,
  now: number,
): { state: RunState; next: NextStep } {
  const index = definition.roles.findIndex((role) => role.name === from);
  const role = roleAt(definition, index);
  const chosen = role.next.find((transition) => holds(transition.when, subject));
  const target = chosen?.goto ?? definition.roles[index + 1]?.name ?? END;
  if (target === END)
    return { state: { ...state, status: "completed", currentRole: null }, next: { end: true } };
  const rounds = state.steps.filter((step) => step.role === target).length;
  if (rounds >= definition.maxRounds) {
    const reason = `The loop reached its limit of ${definition.maxRounds} rounds of \`${target}\` without finishing.`;
    return {
      state: { ...state, status: "failed", currentRole: null, reason },
      next: { failed: reason },
    };
  }
  const steps = [...state.steps, pendingStep(target, rounds + 1, now)];
  return { state: { ...state, currentRole: target, steps }, next: { role: target } };
}

function completedHandoffs(state: RunState): Handoff[] {
  return state.steps.flatMap((step) =>
    step.status === "completed" && step.handoff !== null ? [step.handoff] : [],
  );
}

function pendingStep(role: string, round: number, now: number): RunStep {
  return {
    role,
    round,
    status: "pending",
    startedAt: null,
    updatedAt: now,
    handoff: null,
    reason: null,
  };
}

function isOpen(step: RunStep): boolean {
  return step.status === "pending" || step.status === "in_progress";
}

function current(state: RunState): RunStep {
  const last = state.steps.at(-1);
  if (resumePoint(state) === null || last === undefined)
    throw new Error(`the run is ${state.status} and has no step waiting or running`);
  return last;
}

function withCurrent(
  state: RunState,
  patch: Partial<RunStep>,
  now: number,
  status: RunState["status"],
): RunState {
  const steps = state.steps.map((step, index) =>
    index === state.steps.length - 1 ? { ...step, ...patch, updatedAt: now } : step,
  );
  return { ...state, status, steps, updatedAt: now };
}

function roleAt(definition: PipelineDefinition, index: number): RoleDefinition {
  const role = definition.roles[index];
  if (role === undefined) throw new Error(`the pipeline ${definition.name} has no such role`);
  return role;
}
