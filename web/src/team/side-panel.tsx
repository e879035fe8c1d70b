// A foldable panel of the session's side column: open beside the timeline, folded above it on
// narrow screens.
import { useState, type ReactNode } from "react";

/** Wide screens show side panels beside the timeline, open; narrow ones stack them, folded. */
const SIDE_BY_SIDE = "(min-width: 861px)";

/** Props of SidePanel. */
export interface SidePanelProps {
  title: string;
  /** A number beside the title, with what it counts for screen readers. */
  count?: { value: number; label: string };
  /** A few words after the count (`2 working`). */
  note?: string | null;
  className: string;
  children: ReactNode;
}

/** A `<details>` panel with a title row that folds and unfolds it. */
export function SidePanel({ title, count, note, className, children }: SidePanelProps) {
  const [open, setOpen] = useState(() => window.matchMedia(SIDE_BY_SIDE).matches);
  return (
    <details
      className={`panel side-panel ${className}`}
      open={open}
      onToggle={(event) => setOpen(event.currentTarget.open)}
    >
      <summary className="panel-title">
        <span>{title}</span>
        {count ? (
          <span className="count" aria-label={count.label}>
            {count.value}
          </span>
        ) : null}
        {note ? <span className="side-panel-note muted">{note}</span> : null}
      </summary>
      <div className="side-panel-body">{children}</div>
    </details>
  );
}
