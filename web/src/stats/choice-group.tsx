// A row of toggle buttons of which exactly one is chosen (the stats window, the chart's measure).

/** Props of ChoiceGroup. */
export interface ChoiceGroupProps<T extends string | number> {
  /** What the choice is about, for assistive technology. */
  label: string;
  options: readonly { value: T; label: string }[];
  value: T;
  onChange(value: T): void;
}

/** Buttons that show which option is chosen with aria-pressed. */
export function ChoiceGroup<T extends string | number>({
  label,
  options,
  value,
  onChange,
}: ChoiceGroupProps<T>) {
  return (
    <div className="choice-group" role="group" aria-label={label}>
      {options.map((option) => (
        <button
          key={option.value}
          type="button"
          className="choice-group-option"
          aria-pressed={option.value === value}
          onClick={() => onChange(option.value)}
        >
          {option.label}
        </button>
      ))}
    </div>
  );
}
