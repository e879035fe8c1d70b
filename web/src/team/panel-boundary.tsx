// Keeps a side panel whose code could not be downloaded from taking the session page down with it.
import { Component, type ReactNode } from "react";

/** Props of PanelBoundary. */
export interface PanelBoundaryProps {
  /** What the panel is, for the message (`The team`). */
  label: string;
  children: ReactNode;
}

/** Renders its children, or a short note in their place when rendering them throws. */
export class PanelBoundary extends Component<PanelBoundaryProps, { failed: boolean }> {
  override state = { failed: false };

  static getDerivedStateFromError(): { failed: boolean } {
    return { failed: true };
  }

  override render(): ReactNode {
    if (!this.state.failed) return this.props.children;
    return (
      <p className="panel side-panel-failed muted" role="alert">
        {this.props.label} could not be shown. Reload the page to try again.
      </p>
    );
  }
}
