// The form that starts a run of one of the repository's pipelines in this session.
import { useId, useState, type FormEvent } from "react";
import type { PipelineSummary } from "../../../protocol/pipelines.ts";
import { startRun } from "../api/pipelines.ts";
import { newClientId } from "../session/client-id.ts";
import { useAction } from "../ui/use-action.ts";
import { FormError } from "../ui/form-error.tsx";

/** Props of StartRunForm. */
export interface StartRunFormProps {
  sessionId: string;
  pipelines: readonly PipelineSummary[];
  /** Called once the server has taken the run. */
  onStarted: () => void;
}

/** Pick a pipeline, say what it should do, start it. */
export function StartRunForm({ sessionId, pipelines, onStarted }: StartRunFormProps) {
  const [pipeline, setPipeline] = useState(pipelines[0]?.name ?? "");
  const [text, setText] = useState("");
  const { busy, error, run } = useAction();
  const id = useId();
  const chosen = pipelines.find((item) => item.name === pipeline);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!pipeline || !text.trim()) return;
    await run(async () => {
      await startRun(sessionId, { pipeline, request: text.trim(), clientId: newClientId() });
      setText("");
      onStarted();
    });
  };

  return (
    <form className="start-run" onSubmit={(event) => void submit(event)}>
      <div className="field">
        <label className="field-label" htmlFor={`${id}-pipeline`}>
          Pipeline
        </label>
        <select
          id={`${id}-pipeline`}
          className="select"
          value={pipeline}
          onChange={(event) => setPipeline(event.target.value)}
        >
          {pipelines.map((item) => (
            <option key={item.name} value={item.name}>
              {item.name}
            </option>
          ))}
        </select>
      </div>
      {chosen ? (
        <p className="field-hint muted">
          {chosen.description ? `${chosen.description} ` : ""}
          Roles: {chosen.roles.join(" → ")}
        </p>
      ) : null}
      <label className="field">
        <span className="field-label">Request</span>
        <textarea
          rows={3}
          value={text}
          onChange={(event) => setText(event.target.value)}
          placeholder="What should the pipeline do?"
        />
      </label>
      <FormError error={error} />
      <button
        type="submit"
        className="button button-primary button-small"
        disabled={busy || !text.trim() || !pipeline}
      >
        {busy ? "Starting…" : "Start run"}
      </button>
    </form>
  );
}
