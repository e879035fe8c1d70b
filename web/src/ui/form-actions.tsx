// The foot of a form that saves or creates something: its error, Cancel, and the submit button.
import { FormError } from "./form-error.tsx";

/** Props of FormActions. */
export interface FormActionsProps {
  /** The last submit's failure, announced; null when there is none. */
  error: string | null;
  /** A submit is under way: the submit button is disabled and shows `busyLabel`. */
  busy: boolean;
  submitLabel: string;
  busyLabel: string;
  onCancel: () => void;
}

/** The form's error (if any) above Cancel and the primary submit button. */
export function FormActions({ error, busy, submitLabel, busyLabel, onCancel }: FormActionsProps) {
  return (
    <>
      <FormError error={error} />
      <div className="form-actions">
        <button type="button" className="button" onClick={onCancel}>
          Cancel
        </button>
        <button type="submit" className="button button-primary" disabled={busy}>
          {busy ? busyLabel : submitLabel}
        </button>
      </div>
    </>
  );
}
