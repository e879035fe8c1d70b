// The error placeholder of a screen or panel whose data could not be loaded, with a way to retry.
import { StateMessage } from "./state-message.tsx";

/** Props of LoadFailed. */
export interface LoadFailedProps {
  /** What could not be loaded, as a sentence (`The stats could not be loaded.`). */
  title: string;
  /** Why, as the request reported it. */
  message: string;
  onRetry: () => void;
  /** A small retry button, for panels inside a page. */
  small?: boolean;
}

/** An announced error with the failure's message and a "Try again" button. */
export function LoadFailed({ title, message, onRetry, small = false }: LoadFailedProps) {
  return (
    <StateMessage kind="error" title={title}>
      <p>{message}</p>
      <button type="button" className={small ? "button button-small" : "button"} onClick={onRetry}>
        Try again
      </button>
    </StateMessage>
  );
}
