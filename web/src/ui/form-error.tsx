// A form's last failure, announced to screen readers as it appears; nothing when there is none.

/** Props of FormError. */
export interface FormErrorProps {
  error: string | null | undefined;
  id?: string;
}

/** The failure as a paragraph with role "alert", or nothing. */
export function FormError({ error, id }: FormErrorProps) {
  if (!error) return null;
  return (
    <p className="form-error" id={id} role="alert">
      {error}
    </p>
  );
}
