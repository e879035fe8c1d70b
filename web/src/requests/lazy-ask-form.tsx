// Keeps the "Ask the organisation" form out of the first download: it loads when first opened.
import { lazy, Suspense } from "react";
import { FallbackBoundary } from "../ui/fallback-boundary.tsx";
import { StateMessage } from "../ui/state-message.tsx";
import type { AskFormProps } from "./ask-form.tsx";

const AskForm = lazy(() => import("./ask-form.tsx"));

/** The form, with a loading state while its code arrives and a message if it cannot. */
export function LazyAskForm(props: AskFormProps) {
  return (
    <FallbackBoundary
      fallback={
        <div className="card new-session">
          <StateMessage kind="error" title="This form could not be loaded.">
            <p>Check your connection, then reload.</p>
          </StateMessage>
        </div>
      }
    >
      <Suspense
        fallback={
          <div className="card new-session">
            <StateMessage kind="loading" title="Loading…" />
          </div>
        }
      >
        <AskForm {...props} />
      </Suspense>
    </FallbackBoundary>
  );
}
