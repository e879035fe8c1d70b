// A role's notes, kept across runs (what its agent wrote down and people's feedback), read when
// unfolded, with a box for a person to add feedback for the role's next run.
import { useState, type FormEvent } from "react";
import type { RoleNoteView } from "../../../protocol/pipelines.ts";
import { messageOf } from "../api/client.ts";
import { addRoleNote, listRoleNotes } from "../api/pipelines.ts";
import { displayName, relativeTime } from "../ui/format.ts";
import { useAction } from "../ui/use-action.ts";
import { FormError } from "../ui/form-error.tsx";

/** Props of RoleFeedback. */
export interface RoleFeedbackProps {
  repo: string;
  pipeline: string;
  role: string;
  canAdd: boolean;
}

type Notes =
  | { status: "idle" | "loading" }
  | { status: "error"; message: string }
  | { status: "ready"; notes: RoleNoteView[] };

/** The Feedback fold of one role. */
export function RoleFeedback({ repo, pipeline, role, canAdd }: RoleFeedbackProps) {
  const [notes, setNotes] = useState<Notes>({ status: "idle" });
  const [text, setText] = useState("");
  const { busy, error, run } = useAction();

  const read = () => {
    setNotes({ status: "loading" });
    listRoleNotes(repo, pipeline, role)
      .then((list) => setNotes({ status: "ready", notes: list }))
      .catch((failure: unknown) => setNotes({ status: "error", message: messageOf(failure) }));
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!text.trim()) return;
    await run(async () => {
      const note = await addRoleNote(repo, pipeline, role, text.trim());
      setText("");
      setNotes((shown) =>
        shown.status === "ready" ? { status: "ready", notes: [...shown.notes, note] } : shown,
      );
    });
  };

  const now = Date.now();
  return (
    <details
      className="fold role-feedback"
      onToggle={(event) => {
        if (event.currentTarget.open && notes.status !== "ready") read();
      }}
    >
      <summary>
        <span className="role-feedback-role">{role}</span>
        <span className="muted">Feedback</span>
      </summary>
      <div className="role-feedback-body">
        {notes.status === "loading" ? <p className="muted">Reading notes…</p> : null}
        {notes.status === "error" ? (
          <p className="form-error" role="alert">
            {notes.message}{" "}
            <button type="button" className="button button-small" onClick={read}>
              Try again
            </button>
          </p>
        ) : null}
        {notes.status === "ready" && notes.notes.length === 0 ? (
          <p className="muted">No notes yet.</p>
        ) : null}
        {notes.status === "ready" && notes.notes.length > 0 ? (
          <ol className="role-notes" aria-label={`Notes of ${role}`}>
            {notes.notes.map((note) => (
              <li key={note.id} className={`role-note role-note-${note.source}`}>
                <div className="role-note-head">
                  {note.source === "person" ? (
                    <span className="badge badge-feedback">
                      feedback{note.author ? ` · ${displayName(note.author)}` : ""}
                    </span>
                  ) : (
                    <span className="badge">agent note</span>
                  )}
                  <span className="muted">{relativeTime(note.at, now)}</span>
                </div>
                <p className="role-note-text">{note.text}</p>
              </li>
            ))}
          </ol>
        ) : null}
        {canAdd ? (
          <form className="role-feedback-form" onSubmit={(event) => void submit(event)}>
            <label className="field">
              <span className="field-label">Feedback for {role}</span>
              <textarea
                rows={2}
                value={text}
                maxLength={4_000}
                onChange={(event) => setText(event.target.value)}
                placeholder="What should this role do differently next time?"
              />
            </label>
            <FormError error={error} />
            <button type="submit" className="button button-small" disabled={busy || !text.trim()}>
              {busy ? "Adding…" : "Add feedback"}
            </button>
          </form>
        ) : null}
      </div>
    </details>
  );
}
