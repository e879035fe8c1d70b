// Which page each in-app path shows, for a signed-in person.
import { isRepositoriesPath, RepositoriesRoute } from "./images/lazy-repositories-route.tsx";
import { JoinPage } from "./join/join-page.tsx";
import { matchPath } from "./router/router.ts";
import { routingOrgOf, RoutingRoute } from "./routing/lazy-routing-route.tsx";
import { SessionPage } from "./session/session-page.tsx";
import { SessionsPage } from "./sessions/sessions-page.tsx";
import { StatsPage } from "./stats/stats-page.tsx";
import { NotFoundPage } from "./ui/not-found-page.tsx";

/** The page for `path`. */
export function AppRoutes({ path }: { path: string }) {
  if (matchPath("/", path) || matchPath("/sign-in", path)) return <SessionsPage />;
  const session = matchPath("/sessions/:id", path);
  if (session) return <SessionPage key={session.id} sessionId={session.id!} />;
  if (isRepositoriesPath(path)) return <RepositoriesRoute path={path} />;
  if (matchPath("/stats", path)) return <StatsPage />;
  const org = routingOrgOf(path);
  if (org) return <RoutingRoute org={org} />;
  const join = matchPath("/join/:id", path);
  if (join) return <JoinPage key={join.id} sessionId={join.id!} />;
  return <NotFoundPage />;
}
