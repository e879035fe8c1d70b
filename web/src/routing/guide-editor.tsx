// The guide's spaces as a table whose rows are edited in place; Save sends them all at once and
// shows what the server found wrong beside the form.
import { useId, useState } from "react";
import type { RoutingGuide, Space } from "../../../protocol/routing.ts";
import { messageOf } from "../api/client.ts";
import { GuideSource } from "./guide-source.tsx";
import { draftOf, emptyDraft, rowOfError, spaceOf, type SpaceDraft } from "./space-draft.ts";
import { SpaceEditor } from "./space-editor.tsx";
import { SpaceRow } from "./space-row.tsx";

/** Props of GuideEditor. */
export interface GuideEditorProps {
  guide: RoutingGuide;
  /** The organisation's registered repositories, suggested for a space's repository. */
  repos: readonly string[];
  /** Stores the spaces; throws with the server's message when it refuses them. */
  onSave: (spaces: Space[]) => Promise<void>;
}

/** Which row is open: its index, and what it held before (null for a row being added). */
type Editing = { index: number; before: SpaceDraft | null } | null;

const COLUMNS = ["Name", "Kind", "Repository", "Environment", "Purpose", "Covers"] as const;

/** The editable table of spaces, with Add, Discard and Save. */
export function GuideEditor({ guide, repos, onSave }: GuideEditorProps) {
  const saved = guide.spaces.map(draftOf);
  const [drafts, setDrafts] = useState<SpaceDraft[]>(saved);
  const [editing, setEditing] = useState<Editing>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<{ message: string; row: number | null } | null>(null);
  const repoListId = useId();
  const dirty = JSON.stringify(drafts) !== JSON.stringify(saved);

  const change = (index: number, draft: SpaceDraft) =>
    setDrafts((all) => all.map((item, i) => (i === index ? draft : item)));
  const remove = (index: number) => {
    setDrafts((all) => all.filter((_, i) => i !== index));
    setEditing(null);
    setError(null);
  };
  const cancel = () => {
    if (!editing) return;
    if (editing.before === null) remove(editing.index);
    else change(editing.index, editing.before);
    setEditing(null);
  };
  const add = () => {
    setDrafts((all) => [...all, emptyDraft(repos.length === 1 ? repos[0] : "")]);
    setEditing({ index: drafts.length, before: null });
  };
  const save = async () => {
    setBusy(true);
    setError(null);
    try {
      await onSave(drafts.map(spaceOf));
    } catch (failure) {
      const message = messageOf(failure);
      setError({ message, row: rowOfError(message, drafts) });
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="routing-guide" aria-label={`Routing guide of ${guide.org}`}>
      <GuideSource guide={guide} />
      <datalist id={repoListId}>
        {repos.map((repo) => (
          <option key={repo} value={repo} />
        ))}
      </datalist>
      {drafts.length === 0 ? (
        <p className="routing-empty muted">
          No spaces yet. Add one for each repository or environment requests may go to.
        </p>
      ) : (
        <div className="routing-table-wrap">
          <table className="routing-table">
            <thead>
              <tr>
                {COLUMNS.map((column) => (
                  <th key={column} scope="col">
                    {column}
                  </th>
                ))}
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {drafts.map((draft, index) =>
                editing?.index === index ? (
                  <tr key={index} className="space-editor-row">
                    <td colSpan={COLUMNS.length + 1}>
                      <SpaceEditor
                        draft={draft}
                        adding={editing.before === null}
                        repoListId={repoListId}
                        onChange={(next) => change(index, next)}
                        onDone={() => setEditing(null)}
                        onCancel={cancel}
                      />
                    </td>
                  </tr>
                ) : (
                  <SpaceRow
                    key={index}
                    draft={draft}
                    invalid={error?.row === index}
                    onEdit={() => setEditing({ index, before: draft })}
                    onRemove={() => remove(index)}
                  />
                ),
              )}
            </tbody>
          </table>
        </div>
      )}
      {error ? (
        <p className="form-error routing-error" role="alert">
          {error.row !== null && drafts[error.row] ? (
            <strong>Space {error.row + 1}: </strong>
          ) : null}
          {error.message}
        </p>
      ) : null}
      <div className="routing-actions">
        <button type="button" className="button" onClick={add} disabled={editing !== null}>
          Add space
        </button>
        <span className="routing-dirty muted" aria-live="polite">
          {dirty ? "Unsaved changes" : ""}
        </span>
        <button
          type="button"
          className="button"
          onClick={() => {
            setDrafts(saved);
            setEditing(null);
            setError(null);
          }}
          disabled={!dirty || busy}
        >
          Discard changes
        </button>
        <button
          type="button"
          className="button button-primary"
          onClick={() => {
            setEditing(null);
            void save();
          }}
          disabled={!dirty || busy}
        >
          {busy ? "Saving…" : "Save guide"}
        </button>
      </div>
    </section>
  );
}
