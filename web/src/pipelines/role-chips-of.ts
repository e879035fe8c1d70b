// The chips of a run's roles: one per step in definition order, rounds numbered where a role ran
// more than once, and a pending chip for each role that has not started.
import type { PipelineRunView } from "../../../protocol/pipelines.ts";

type Step = PipelineRunView["steps"][number];

/** One chip of the role row. */
export interface RoleChip {
  role: string;
  /** The step's round, or null when the role ran (or waits to run) once. */
  round: number | null;
  status: Step["status"];
}

/** The chips of `roles` (definition order) from `steps`; steps of unlisted roles come last. */
export function roleChipsOf(roles: readonly string[], steps: readonly Step[]): RoleChip[] {
  const extra = [...new Set(steps.map((step) => step.role))].filter(
    (role) => !roles.includes(role),
  );
  return [...roles, ...extra].flatMap((role): RoleChip[] => {
    const ofRole = steps.filter((step) => step.role === role).sort((a, b) => a.round - b.round);
    if (ofRole.length === 0) return [{ role, round: null, status: "pending" }];
    const rounds = new Set(ofRole.map((step) => step.round));
    return ofRole.map((step) => ({
      role,
      round: rounds.size > 1 ? step.round : null,
      status: step.status,
    }));
  });
}
