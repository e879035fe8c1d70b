// A run's roles as a row of chips, each showing how its step went.
import type { PipelineRunView } from "../../../protocol/pipelines.ts";
import { roleChipsOf } from "./role-chips-of.ts";
import { STEP_WORDS } from "./status-words.ts";

/** The role row of a run, in the order the pipeline lists its roles. */
export function RoleChips({ run }: { run: PipelineRunView }) {
  const chips = roleChipsOf(run.roles, run.steps);
  return (
    <ol className="role-chips" aria-label="Roles">
      {chips.map((chip) => {
        const name = chip.round === null ? chip.role : `${chip.role} · round ${chip.round}`;
        return (
          <li
            key={`${chip.role}-${chip.round ?? 0}`}
            className={`role-chip role-chip-${chip.status}`}
            aria-label={`${name}: ${STEP_WORDS[chip.status]}`}
            title={STEP_WORDS[chip.status]}
          >
            <span className="role-chip-mark" aria-hidden="true" />
            {chip.role}
            {chip.round === null ? null : <span className="role-chip-round">r{chip.round}</span>}
          </li>
        );
      })}
    </ol>
  );
}
