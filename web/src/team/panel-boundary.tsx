// Keeps a side panel whose code could not be downloaded from taking the session page down with it.
import type { ReactNode } from "react";
import { FallbackBoundary } from "../ui/fallback-boundary.tsx";

/** Props of PanelBoundary. */
export interface PanelBoundaryProps {
  /** What the panel is, for the message (`The team`). */
  label: string;
  children: ReactNode;
}

/** Renders its children, or a short note in their place when rendering them throws. */
export function PanelBoundary({ label, children }: PanelBoundaryProps) {
  return (
    <FallbackBoundary
      fallback={
        <p className="panel side-panel-failed muted" role="alert">
          {label} could not be shown. Reload the page to try again.
        </p>
      }
    >
      {children}
    </FallbackBoundary>
  );
}
