// The pipelines panel's place in the session page: reads the session's runs and the repository's
// pipelines, and shows the panel when there is either.
import { lazy, Suspense, useCallback, useMemo } from "react";
import type { SessionEvent } from "../../../protocol/events.ts";
import { ApiError } from "../api/client.ts";
import { listPipelines, listRuns } from "../api/pipelines.ts";
import { lastSeqOf } from "../team/event-seq.ts";
import { PanelBoundary } from "../team/panel-boundary.tsx";
import { useLiveLoad } from "../team/use-live-load.ts";

const PipelinesPanel = lazy(() => import("./pipelines-panel.tsx"));

/** Timeline events after which the runs are read again. */
const PIPELINE_EVENTS = ["pipeline."] as const;

/** Props of SessionPipelines. */
export interface SessionPipelinesProps {
  sessionId: string;
  repo: string;
  events: readonly SessionEvent[];
  canPrompt: boolean;
}

/** Answers an empty list where the server has no such list (404), and rethrows anything else. */
function noneWhenMissing(error: unknown): never[] {
  if (error instanceof ApiError && error.code === "not_found") return [];
  throw error;
}

/** The pipelines panel, kept current from the timeline; nothing without runs or pipelines. */
export function SessionPipelines({ sessionId, repo, events, canPrompt }: SessionPipelinesProps) {
  const changedAt = useMemo(() => lastSeqOf(events, PIPELINE_EVENTS), [events]);
  const loadRuns = useCallback(() => listRuns(sessionId).catch(noneWhenMissing), [sessionId]);
  const loadPipelines = useCallback(
    () => listPipelines(sessionId).catch(noneWhenMissing),
    [sessionId],
  );
  const [runs, reloadRuns] = useLiveLoad(loadRuns, changedAt);
  const [pipelines] = useLiveLoad(loadPipelines, 0);
  const runList = runs.status === "ready" ? runs.value : [];
  const pipelineList = pipelines.status === "ready" ? pipelines.value : [];
  if (runList.length === 0 && pipelineList.length === 0) return null;
  return (
    <PanelBoundary label="The pipelines">
      <Suspense fallback={null}>
        <PipelinesPanel
          sessionId={sessionId}
          repo={repo}
          runs={runList}
          pipelines={pipelineList}
          canPrompt={canPrompt}
          onStarted={reloadRuns}
        />
      </Suspense>
    </PanelBoundary>
  );
}
