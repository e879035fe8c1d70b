// Publishing a port by hand: for a server someone asked the agent to start, or one to keep.
import { useId, useState, type FormEvent } from "react";
import { exposePort } from "../api/previews.ts";
import { useAction } from "../ui/use-action.ts";
import { FormError } from "../ui/form-error.tsx";

/** A folded form: port and an optional name, then Publish. */
export function ExposePortForm({ sessionId }: { sessionId: string }) {
  const [port, setPort] = useState("");
  const [label, setLabel] = useState("");
  const { busy, error, setError, run } = useAction();
  const id = useId();

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const number = Number(port);
    if (!Number.isInteger(number) || number < 1 || number > 65_535)
      return setError("A port is a whole number from 1 to 65535.");
    await run(async () => {
      await exposePort(sessionId, {
        port: number,
        ...(label.trim() ? { label: label.trim() } : {}),
      });
      setPort("");
      setLabel("");
    });
  };

  return (
    <details className="fold expose-port">
      <summary>Publish a port</summary>
      <form className="expose-port-form" onSubmit={(event) => void submit(event)} noValidate>
        <div className="expose-port-fields">
          <div className="field expose-port-number">
            <label className="field-label" htmlFor={`${id}-port`}>
              Port
            </label>
            <input
              id={`${id}-port`}
              inputMode="numeric"
              placeholder="3000"
              value={port}
              onChange={(event) => setPort(event.target.value.replace(/\D/g, "").slice(0, 5))}
              aria-invalid={error ? true : undefined}
            />
          </div>
          <div className="field expose-port-label">
            <label className="field-label" htmlFor={`${id}-label`}>
              Name <span className="muted">(optional)</span>
            </label>
            <input
              id={`${id}-label`}
              maxLength={60}
              placeholder="web app"
              value={label}
              onChange={(event) => setLabel(event.target.value)}
            />
          </div>
        </div>
        <p className="field-hint muted">
          A server inside the sandbox, listening on 127.0.0.1 at that port.
        </p>
        <FormError error={error} />
        <button
          type="submit"
          className="button button-small"
          disabled={busy || !port}
          aria-busy={busy}
        >
          {busy ? "Publishing…" : "Publish"}
        </button>
      </form>
    </details>
  );
}
