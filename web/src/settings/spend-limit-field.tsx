// The spend limit in dollars; empty means no limit.

/** Props of SpendLimitField. */
export interface SpendLimitFieldProps {
  id: string;
  value: string;
  onChange: (text: string) => void;
  problem: string | null;
}

/** A dollar field with its rule written under it. */
export function SpendLimitField({ id, value, onChange, problem }: SpendLimitFieldProps) {
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  return (
    <div className="field">
      <label className="field-label" htmlFor={id}>
        Spend limit <span className="muted">(optional)</span>
      </label>
      <span className="input-affix">
        <span className="input-affix-text" aria-hidden="true">
          $
        </span>
        <input
          id={id}
          inputMode="decimal"
          autoComplete="off"
          value={value}
          onChange={(event) => onChange(event.target.value)}
          placeholder="No limit"
          aria-invalid={problem ? true : undefined}
          aria-describedby={problem ? `${errorId} ${hintId}` : hintId}
        />
      </span>
      {problem ? (
        <p className="form-error" id={errorId}>
          {problem}
        </p>
      ) : null}
      <p className="field-hint muted" id={hintId}>
        The most the agent may spend in this session, in US dollars. Empty: no limit.
      </p>
    </div>
  );
}
