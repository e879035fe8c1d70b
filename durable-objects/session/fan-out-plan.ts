// The pure decisions that let a person's fan-out resume after a restart: which spaces still need
// asking, which children started before the restart belong to it, and how long is left to wait.
import type { SkippedSpace } from "../../orchestration/fan-out.ts";
import type { SpaceDraft } from "../../orchestration/routing/discovery.ts";
import type { Person } from "../../protocol/events.ts";

/** A space to ask: the child session's repository, title and prompt. */
export interface SpaceTarget {
  name: string;
  repo: string;
  title: string;
  prompt: string;
}

/** What became of asking a space: the child session it was given, or why it could not be asked. */
export type Asked = { space: string; sessionId: string } | { space: string; reason: string };

/**
 * What the answers are for: compared into one synthesis (a question, with the spaces the classifier
 * left out), or proposed as an organisation's routing guide (discovery, from the spaces' drafts).
 */
export type FanOutAim =
  | { kind: "compare"; question: string; skipped: SkippedSpace[] }
  | { kind: "discover"; org: string; drafts: SpaceDraft[] };

/** A fan-out as stored while it runs. */
export interface FanOutPlan {
  id: string;
  author: Person;
  aim: FanOutAim;
  targets: SpaceTarget[];
  asked: Asked[];
  timeoutMs: number;
  /** When waiting for the children ends; null until every space was asked. */
  deadline: number | null;
  startedAt: number;
}

/** A child this session started, as far as the plan needs it. */
export interface KnownChild {
  sessionId: string;
  role: string | null;
  createdAt: number;
}

/** The targets not asked yet, in order. */
export function stillToAsk(
  targets: readonly SpaceTarget[],
  asked: readonly Asked[],
): SpaceTarget[] {
  return targets.filter((t) => !asked.some((a) => a.space === t.name));
}

/**
 * Children started for spaces of the plan whose start was not recorded (the object went away
 * while the child was being created): a child in that space's role, started since the fan-out
 * began, and not already someone else's answer.
 */
export function orphansOf(plan: FanOutPlan, children: readonly KnownChild[]): Asked[] {
  const claimed = new Set(plan.asked.flatMap((a) => ("sessionId" in a ? [a.sessionId] : [])));
  const adopted: Asked[] = [];
  for (const target of stillToAsk(plan.targets, plan.asked)) {
    const child = children.find(
      (c) => c.role === target.name && c.createdAt >= plan.startedAt && !claimed.has(c.sessionId),
    );
    if (!child) continue;
    claimed.add(child.sessionId);
    adopted.push({ space: target.name, sessionId: child.sessionId });
  }
  return adopted;
}

/** How long to wait for the children from `now`: what is left until the deadline, or nothing. */
export function waitLeftMs(deadline: number, now: number): number {
  return Math.max(0, deadline - now);
}
