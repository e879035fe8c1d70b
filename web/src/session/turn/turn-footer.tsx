// The last line of a turn: working or retrying while it runs, and what it has used so far.
import type { Turn } from "../turn-state.ts";
import { RetryNotice } from "./retry-notice.tsx";
import { UsageSummary } from "./usage-summary.tsx";

/** Keeps one line's height from the first event to the end, so the turn does not jump. */
export function TurnFooter({ turn }: { turn: Turn }) {
  if (turn.ended && !turn.usage) return null;
  return (
    <footer className="turn-footer">
      <span className="turn-footer-status" aria-live="polite">
        {turn.ended ? null : turn.retry ? (
          <RetryNotice retry={turn.retry} />
        ) : (
          <span className="turn-working">
            <span className="typing-dots" aria-hidden="true">
              <span />
              <span />
              <span />
            </span>
            Working…
          </span>
        )}
      </span>
      {turn.usage ? <UsageSummary usage={turn.usage} label="This turn" /> : null}
    </footer>
  );
}
