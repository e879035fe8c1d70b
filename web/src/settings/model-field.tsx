// Picking the agent's model: the current models, or another typed by name.
import { MODEL_CHOICES, OTHER_MODEL, type ModelPick } from "./models.ts";

/** Props of ModelField. */
export interface ModelFieldProps {
  /** Prefix of the element ids, unique on the page. */
  id: string;
  pick: ModelPick;
  onChange: (pick: ModelPick) => void;
  /** What is wrong with a typed name, shown under it. */
  problem: string | null;
}

/** A select of the listed models, with a name field when "Other…" is picked. */
export function ModelField({ id, pick, onChange, problem }: ModelFieldProps) {
  const other = pick.choice === OTHER_MODEL;
  const errorId = `${id}-error`;
  return (
    <div className="model-field">
      <div className="field">
        <label className="field-label" htmlFor={`${id}-choice`}>
          Model
        </label>
        <select
          id={`${id}-choice`}
          className="select"
          value={pick.choice}
          onChange={(event) => onChange({ ...pick, choice: event.target.value })}
        >
          {MODEL_CHOICES.map((model) => (
            <option key={model.id} value={model.id}>
              {model.label} · {model.note}
            </option>
          ))}
          <option value={OTHER_MODEL}>Other…</option>
        </select>
      </div>
      {other ? (
        <div className="field">
          <label className="field-label" htmlFor={`${id}-other`}>
            Model name
          </label>
          <input
            id={`${id}-other`}
            className="mono"
            value={pick.other}
            onChange={(event) => onChange({ ...pick, other: event.target.value })}
            placeholder="e.g. claude-sonnet-4-5"
            spellCheck={false}
            autoCapitalize="off"
            autoComplete="off"
            maxLength={120}
            aria-invalid={problem ? true : undefined}
            aria-describedby={problem ? errorId : undefined}
            autoFocus
          />
        </div>
      ) : null}
      {other && problem ? (
        <p className="form-error" id={errorId}>
          {problem}
        </p>
      ) : null}
    </div>
  );
}
