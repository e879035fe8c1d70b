// What one finished step handed over: its summary, verdict and fields, folded until asked for.
import type { PipelineRunView } from "../../../protocol/pipelines.ts";
import { InlineCode } from "./inline-code.tsx";
import { STEP_WORDS } from "./status-words.ts";

type Step = PipelineRunView["steps"][number];

/** A step with its handoff (or the reason it failed), as a fold titled by role and round. */
export function StepHandoff({ step, showRound }: { step: Step; showRound: boolean }) {
  const handoff = step.handoff;
  return (
    <details className="fold step-handoff">
      <summary>
        <span className="step-handoff-role">{step.role}</span>
        {showRound ? <span className="muted">round {step.round}</span> : null}
        <span className={`badge badge-step-${step.status}`}>{STEP_WORDS[step.status]}</span>
      </summary>
      <div className="step-handoff-body">
        {handoff ? (
          <>
            <p className="step-handoff-summary">{handoff.summary}</p>
            {handoff.verdict ? (
              <p>
                <span className="muted">Verdict </span>
                <strong>{handoff.verdict}</strong>
              </p>
            ) : null}
            {Object.keys(handoff.fields).length > 0 ? (
              <dl className="handoff-fields">
                {Object.entries(handoff.fields).map(([name, value]) => (
                  <div key={name}>
                    <dt className="mono">{name}</dt>
                    <dd>{value}</dd>
                  </div>
                ))}
              </dl>
            ) : null}
          </>
        ) : null}
        {step.reason ? (
          <p className="step-reason">
            <InlineCode text={step.reason} />
          </p>
        ) : null}
        {!handoff && !step.reason ? <p className="muted">Nothing handed over yet.</p> : null}
      </div>
    </details>
  );
}
