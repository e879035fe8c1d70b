// Keeps the routing guide page out of the first download: it loads when first visited.
import { lazy, Suspense } from "react";
import { LoadErrorBoundary } from "../images/load-error-boundary.tsx";
import { matchPath } from "../router/router.ts";
import { StateMessage } from "../ui/state-message.tsx";

const RoutingPage = lazy(() => import("./routing-page.tsx"));

/** The organisation a routing guide path names, or null for any other path. */
export function routingOrgOf(path: string): string | null {
  return matchPath("/orgs/:org/routing", path)?.org ?? null;
}

/** The routing guide page of `org`, with a loading state while its code arrives. */
export function RoutingRoute({ org }: { org: string }) {
  return (
    <LoadErrorBoundary>
      <Suspense
        fallback={
          <main className="page" id="main">
            <StateMessage kind="loading" title="Loading…" />
          </main>
        }
      >
        <RoutingPage key={org} org={org} />
      </Suspense>
    </LoadErrorBoundary>
  );
}
