// The form that starts a session: repository, title and an optional first prompt.
import { useState, type FormEvent } from "react";
import { RepoSchema } from "../../../protocol/api.ts";
import { MAX_PROMPT_CHARS } from "../../../protocol/room.ts";
import { messageOf } from "../api/client.ts";
import { createSession } from "../api/sessions.ts";
import { navigate } from "../router/router.ts";
import { newClientId } from "../session/client-id.ts";

/** Props of NewSessionForm. */
export interface NewSessionFormProps {
  onCancel: () => void;
}

/** Creates a session and opens it. */
export function NewSessionForm({ onCancel }: NewSessionFormProps) {
  const [repo, setRepo] = useState("");
  const [title, setTitle] = useState("");
  const [prompt, setPrompt] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!RepoSchema.safeParse(repo.trim()).success)
      return setError("Write the repository as owner/name, e.g. acme/web.");
    if (!title.trim()) return setError("Give the session a title.");
    setBusy(true);
    setError(null);
    try {
      const text = prompt.trim();
      const session = await createSession({
        repo: repo.trim(),
        title: title.trim(),
        ...(text ? { prompt: { clientId: newClientId(), text } } : {}),
      });
      navigate(`/sessions/${session.id}`);
    } catch (caught) {
      setError(messageOf(caught));
      setBusy(false);
    }
  };

  return (
    <form
      className="card new-session"
      onSubmit={submit}
      noValidate
      aria-labelledby="new-session-heading"
    >
      <h2 id="new-session-heading">New session</h2>
      <div className="new-session-fields">
        <label className="field">
          <span className="field-label">Repository</span>
          <input
            value={repo}
            onChange={(e) => setRepo(e.target.value)}
            placeholder="owner/name"
            spellCheck={false}
            autoCapitalize="off"
            autoFocus
            required
          />
        </label>
        <label className="field">
          <span className="field-label">Title</span>
          <input
            value={title}
            onChange={(e) => setTitle(e.target.value)}
            placeholder="What is this session about?"
            maxLength={200}
            required
          />
        </label>
      </div>
      <label className="field">
        <span className="field-label">
          First prompt <span className="muted">(optional)</span>
        </span>
        <textarea
          value={prompt}
          onChange={(e) => setPrompt(e.target.value)}
          rows={4}
          maxLength={MAX_PROMPT_CHARS}
          placeholder="Tell the agent what to do…"
        />
      </label>
      {error ? (
        <p className="form-error" role="alert">
          {error}
        </p>
      ) : null}
      <div className="form-actions">
        <button type="button" className="button" onClick={onCancel}>
          Cancel
        </button>
        <button type="submit" className="button button-primary" disabled={busy}>
          {busy ? "Creating…" : "Create session"}
        </button>
      </div>
    </form>
  );
}
