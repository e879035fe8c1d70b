// "Retrying in 4 s (attempt 2 of 5)", counting down until the next attempt.
import { useEffect, useState } from "react";
import type { RetryState } from "../turn-state.ts";

/** How often the countdown redraws. */
const TICK_MS = 1_000;

/** The waiting model call, with the reason the model server gave. */
export function RetryNotice({ retry }: { retry: RetryState }) {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), TICK_MS);
    return () => clearInterval(timer);
  }, []);
  // The announcement carries the server's clock; never count longer than the delay itself.
  const leftMs = Math.min(retry.delayMs, retry.at + retry.delayMs - now);
  const seconds = Math.ceil(leftMs / 1_000);
  const when = seconds > 0 ? `in ${seconds} s` : "now";
  return (
    <span className="turn-retry" title={retry.reason}>
      <span className="turn-retry-glyph" aria-hidden="true">
        ↻
      </span>
      {/* The countdown ticks every second; screen readers hear one steady sentence instead. */}
      <span aria-hidden="true">
        Retrying {when} (attempt {retry.attempt} of {retry.maxAttempts})
      </span>
      <span className="visually-hidden">
        Retrying the model call, attempt {retry.attempt} of {retry.maxAttempts}.
      </span>
      <span className="turn-retry-reason">{retry.reason}</span>
    </span>
  );
}
