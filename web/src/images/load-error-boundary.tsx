// Catches a page whose code could not be downloaded, so the rest of the app stays usable.
import type { ReactNode } from "react";
import { FallbackBoundary } from "../ui/fallback-boundary.tsx";
import { StateMessage } from "../ui/state-message.tsx";

/** Props of LoadErrorBoundary. */
export interface LoadErrorBoundaryProps {
  children: ReactNode;
}

/** Shows a reload prompt instead of a blank screen when rendering its children throws. */
export function LoadErrorBoundary({ children }: LoadErrorBoundaryProps) {
  return (
    <FallbackBoundary
      fallback={
        <main className="page page-narrow" id="main">
          <StateMessage kind="error" title="This page could not be loaded.">
            <p>Check your connection, then reload.</p>
            <button type="button" className="button" onClick={() => location.reload()}>
              Reload
            </button>
          </StateMessage>
        </main>
      }
    >
      {children}
    </FallbackBoundary>
  );
}
