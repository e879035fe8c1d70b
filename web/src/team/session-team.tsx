// The team panel's place in the session page: reads the team, and shows the panel only when the
// session has a parent, children or mail, so a session working alone stays uncluttered.
import { lazy, Suspense, useCallback, useMemo } from "react";
import type { SessionEvent } from "../../../protocol/events.ts";
import type { TeamView } from "../../../protocol/team.ts";
import { getTeam } from "../api/team.ts";
import { lastSeqOf } from "./event-seq.ts";
import { PanelBoundary } from "./panel-boundary.tsx";
import { useLiveLoad } from "./use-live-load.ts";

const TeamPanel = lazy(() => import("./team-panel.tsx"));

/** Timeline events after which the team is read again. */
const TEAM_EVENTS = ["team.", "mailbox."] as const;

/** Whether a team is worth a panel: it links to another session or holds mail. */
export function hasTeam(team: TeamView): boolean {
  return team.parent !== null || team.children.length > 0 || team.inbox.length > 0;
}

/** The team panel, kept current from the timeline; nothing for a session on its own. */
export function SessionTeam({
  sessionId,
  events,
}: {
  sessionId: string;
  events: readonly SessionEvent[];
}) {
  const changedAt = useMemo(() => lastSeqOf(events, TEAM_EVENTS), [events]);
  const load = useCallback(() => getTeam(sessionId), [sessionId]);
  const [team] = useLiveLoad(load, changedAt);
  if (team.status !== "ready" || !hasTeam(team.value)) return null;
  return (
    <PanelBoundary label="The team">
      <Suspense fallback={null}>
        <TeamPanel team={team.value} />
      </Suspense>
    </PanelBoundary>
  );
}
