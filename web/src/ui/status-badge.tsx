// A session's or a prompt's state as a coloured label.

/** States a badge knows how to colour. */
export type BadgeState =
  "idle" | "queued" | "running" | "done" | "stopped" | "failed" | "cancelled" | "sending";

/** Shows a state word with a dot. */
export function StatusBadge({ state }: { state: BadgeState }) {
  return (
    <span className={`badge badge-state badge-${state}`}>
      <span className="badge-dot" aria-hidden="true" />
      {state}
    </span>
  );
}
