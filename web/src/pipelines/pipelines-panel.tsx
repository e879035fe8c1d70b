// The pipelines panel: this session's runs, newest first, a form to start one, and each role's
// feedback.
import "../styles/side-panels.css";
import "../styles/pipelines.css";
import type { PipelineRunView, PipelineSummary } from "../../../protocol/pipelines.ts";
import { SidePanel } from "../team/side-panel.tsx";
import { RoleFeedback } from "./role-feedback.tsx";
import { RunCard } from "./run-card.tsx";
import { StartRunForm } from "./start-run-form.tsx";

/** Props of PipelinesPanel. */
export interface PipelinesPanelProps {
  sessionId: string;
  repo: string;
  runs: readonly PipelineRunView[];
  pipelines: readonly PipelineSummary[];
  /** Whether this person may prompt, and so start runs and give feedback. */
  canPrompt: boolean;
  onStarted: () => void;
}

/** The roles of every pipeline the repository has or this session ran, by pipeline. */
function rolesByPipeline(
  pipelines: readonly PipelineSummary[],
  runs: readonly PipelineRunView[],
): [string, string[]][] {
  const roles = new Map(pipelines.map((pipeline) => [pipeline.name, pipeline.roles]));
  for (const run of runs) if (!roles.has(run.pipeline)) roles.set(run.pipeline, run.roles);
  return [...roles];
}

/** The runs, the start form and the role feedback. */
export default function PipelinesPanel({
  sessionId,
  repo,
  runs,
  pipelines,
  canPrompt,
  onStarted,
}: PipelinesPanelProps) {
  const active = runs.filter((run) => run.status === "in_progress" || run.status === "pending");
  const now = Date.now();
  return (
    <SidePanel
      title="Pipelines"
      className="pipelines-panel"
      count={{ value: runs.length, label: `${runs.length} ${runs.length === 1 ? "run" : "runs"}` }}
      note={active.length > 0 ? `${active.length} running` : null}
    >
      {runs.length === 0 ? <p className="muted">No pipeline has run in this session yet.</p> : null}
      {runs.length > 0 ? (
        <ol className="runs" aria-label="Pipeline runs">
          {runs.map((run) => (
            <li key={run.id}>
              <RunCard run={run} nowMs={now} />
            </li>
          ))}
        </ol>
      ) : null}
      {canPrompt && pipelines.length > 0 ? (
        <details className="fold pipelines-section" open={runs.length === 0}>
          <summary className="section-heading">Run a pipeline</summary>
          <StartRunForm sessionId={sessionId} pipelines={pipelines} onStarted={onStarted} />
        </details>
      ) : null}
      <details className="fold pipelines-section">
        <summary className="section-heading">Role feedback</summary>
        {rolesByPipeline(pipelines, runs).map(([pipeline, roles]) => (
          <section key={pipeline} className="feedback-pipeline" aria-label={`Roles of ${pipeline}`}>
            <p className="feedback-pipeline-name mono">{pipeline}</p>
            {roles.map((role) => (
              <RoleFeedback
                key={role}
                repo={repo}
                pipeline={pipeline}
                role={role}
                canAdd={canPrompt}
              />
            ))}
          </section>
        ))}
      </details>
    </SidePanel>
  );
}
