// Catches a page whose code could not be downloaded, so the rest of the app stays usable.
import { Component, type ReactNode } from "react";
import { StateMessage } from "../ui/state-message.tsx";

/** Props of LoadErrorBoundary. */
export interface LoadErrorBoundaryProps {
  children: ReactNode;
}

/** Shows a reload prompt instead of a blank screen when rendering its children throws. */
export class LoadErrorBoundary extends Component<LoadErrorBoundaryProps, { failed: boolean }> {
  override state = { failed: false };

  static getDerivedStateFromError(): { failed: boolean } {
    return { failed: true };
  }

  override render(): ReactNode {
    if (!this.state.failed) return this.props.children;
    return (
      <main className="page page-narrow" id="main">
        <StateMessage kind="error" title="This page could not be loaded.">
          <p>Check your connection, then reload.</p>
          <button type="button" className="button" onClick={() => location.reload()}>
            Reload
          </button>
        </StateMessage>
      </main>
    );
  }
}
