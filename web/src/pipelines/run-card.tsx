// One pipeline run: its status, the role it is on, its roles' steps, the log and the handoffs.
import type { PipelineRunView } from "../../../protocol/pipelines.ts";
import { displayName, relativeTime, snippet } from "../ui/format.ts";
import { HandoffLog } from "./handoff-log.tsx";
import { InlineCode } from "./inline-code.tsx";
import { RoleChips } from "./role-chips.tsx";
import { RUN_WORDS } from "./status-words.ts";
import { StepHandoff } from "./step-handoff.tsx";

/** A run as a card; `nowMs` dates it. */
export function RunCard({ run, nowMs }: { run: PipelineRunView; nowMs: number }) {
  const finished = run.steps.filter((step) => step.handoff !== null || step.reason !== null);
  const repeated = new Set(
    run.steps.filter((a) => run.steps.some((b) => b !== a && b.role === a.role)).map((s) => s.role),
  );
  return (
    <article className="run" aria-label={`Pipeline run ${run.pipeline}`}>
      <header className="run-head">
        <strong className="run-name">{run.pipeline}</strong>
        <span className={`badge badge-run-${run.status}`}>
          {run.status === "in_progress" ? <span className="badge-dot" aria-hidden="true" /> : null}
          {RUN_WORDS[run.status]}
        </span>
      </header>
      <p className="run-meta muted">
        {displayName(run.startedBy)} · {relativeTime(run.startedAt, nowMs)}
        {run.currentRole ? (
          <>
            {" "}
            · now <strong className="run-current">{run.currentRole}</strong>
          </>
        ) : null}
      </p>
      <p className="run-request" title={run.request}>
        {snippet(run.request, 140)}
      </p>
      {run.status === "failed" ? (
        <p className="run-failure" role="alert">
          <strong>Failed</strong>
          {run.reason ? (
            <>
              : <InlineCode text={run.reason} />
            </>
          ) : null}
        </p>
      ) : null}
      <RoleChips run={run} />
      {finished.length > 0 ? (
        <div className="run-steps">
          <h4 className="section-heading">Handoffs</h4>
          {finished.map((step) => (
            <StepHandoff
              key={`${step.role}-${step.round}`}
              step={step}
              showRound={repeated.has(step.role)}
            />
          ))}
        </div>
      ) : null}
      <details className="fold run-log">
        <summary>
          Log <span className="count">{run.log.length}</span>
        </summary>
        <HandoffLog log={run.log} />
      </details>
    </article>
  );
}
