// Error toasts: announced, dismissable, and gone on their own after a while.
import { useEffect } from "react";

/** How long a toast stays unless dismissed. */
const TOAST_LIFETIME_MS = 8_000;

/** One toast as the stack needs it. */
export interface ToastItem {
  id: number;
  message: string;
}

/** Props of ToastStack. */
export interface ToastStackProps {
  toasts: ToastItem[];
  onDismiss: (id: number) => void;
}

/** The stack of toasts in a corner of the screen. */
export function ToastStack({ toasts, onDismiss }: ToastStackProps) {
  const oldest = toasts[0]?.id;
  useEffect(() => {
    if (oldest === undefined) return;
    const timer = setTimeout(() => onDismiss(oldest), TOAST_LIFETIME_MS);
    return () => clearTimeout(timer);
  }, [oldest, onDismiss]);

  return (
    <div className="toasts" role="alert" aria-live="assertive">
      {toasts.map((toast) => (
        <div key={toast.id} className="toast">
          <span className="toast-text">{toast.message}</span>
          <button
            type="button"
            className="button button-quiet button-small"
            onClick={() => onDismiss(toast.id)}
            aria-label="Dismiss message"
          >
            ✕
          </button>
        </div>
      ))}
    </div>
  );
}
