// A build's log as a scrolling terminal-like block, with a heading where each step starts.
import { useEffect, useRef } from "react";
import type { BuildLogLine } from "../api/repositories.ts";

/** Props of BuildLog. */
export interface BuildLogProps {
  lines: readonly BuildLogLine[];
  /** Names the log for screen readers, e.g. "Build log of 9f1c2e3". */
  label: string;
  /** Whether lines are still arriving; the view then follows the end unless scrolled up. */
  live?: boolean;
}

/** How close to the bottom (px) still counts as following the end. */
const FOLLOW_SLACK_PX = 40;

/** The log lines; stderr and the builder's own lines are told apart. */
export function BuildLog({ lines, label, live = false }: BuildLogProps) {
  const box = useRef<HTMLDivElement>(null);
  const following = useRef(true);

  useEffect(() => {
    const element = box.current;
    if (element && live && following.current) element.scrollTop = element.scrollHeight;
  }, [lines, live]);

  if (lines.length === 0)
    return (
      <p className="build-log-empty muted">
        {live ? "Waiting for output…" : "This build wrote no log."}
      </p>
    );
  return (
    // Focusable so that the log can be scrolled from the keyboard.
    <div
      ref={box}
      className="build-log"
      role="log"
      aria-live="off"
      aria-label={label}
      tabIndex={0}
      onScroll={(event) => {
        const element = event.currentTarget;
        following.current =
          element.scrollHeight - element.scrollTop - element.clientHeight < FOLLOW_SLACK_PX;
      }}
    >
      {lines.map((line, i) => (
        <div key={line.seq}>
          {i === 0 || lines[i - 1]!.step !== line.step ? (
            <div className="log-step">▸ {line.step}</div>
          ) : null}
          <div className={`log-line log-${line.stream}`}>{line.text || " "}</div>
        </div>
      ))}
    </div>
  );
}
