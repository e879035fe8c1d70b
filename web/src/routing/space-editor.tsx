// The fields of one space being added or edited, laid out under its row of the guide's table.
import { useId, type ReactNode } from "react";
import type { SpaceDraft } from "./space-draft.ts";

/** Props of SpaceEditor. */
export interface SpaceEditorProps {
  draft: SpaceDraft;
  /** Whether the space is new (its Cancel removes it) or stored (its Cancel undoes the edit). */
  adding: boolean;
  /** The id of the datalist of the organisation's repositories. */
  repoListId: string;
  onChange: (draft: SpaceDraft) => void;
  onDone: () => void;
  onCancel: () => void;
}

/** A labelled field; the label names only the field, never the options of a select inside it. */
function Field(props: { id: string; label: string; wide?: boolean; children: ReactNode }) {
  return (
    <div className={props.wide ? "field space-editor-wide" : "field"}>
      <label className="field-label" htmlFor={props.id}>
        {props.label}
      </label>
      {props.children}
    </div>
  );
}

/** Name, kind, repository, environment, purpose and covered topics of one space. */
export function SpaceEditor({
  draft,
  adding,
  repoListId,
  onChange,
  onDone,
  onCancel,
}: SpaceEditorProps) {
  const id = useId();
  const set = <K extends keyof SpaceDraft>(key: K, value: SpaceDraft[K]) =>
    onChange({ ...draft, [key]: value });
  return (
    <div
      className="space-editor"
      role="group"
      aria-label={adding ? "New space" : `Space ${draft.name}`}
    >
      <Field id={`${id}-name`} label="Name">
        <input
          id={`${id}-name`}
          value={draft.name}
          onChange={(event) => set("name", event.target.value)}
          placeholder="web"
          autoFocus
          spellCheck={false}
        />
      </Field>
      <Field id={`${id}-kind`} label="Kind">
        <select
          id={`${id}-kind`}
          className="select"
          value={draft.kind}
          onChange={(event) => set("kind", event.target.value as SpaceDraft["kind"])}
        >
          <option value="repository">repository</option>
          <option value="environment">environment</option>
        </select>
      </Field>
      <Field id={`${id}-repo`} label="Repository">
        <input
          id={`${id}-repo`}
          value={draft.repo}
          list={repoListId}
          onChange={(event) => set("repo", event.target.value)}
          placeholder="owner/name"
          spellCheck={false}
        />
      </Field>
      {draft.kind === "environment" ? (
        <Field id={`${id}-environment`} label="Environment">
          <input
            id={`${id}-environment`}
            value={draft.environment}
            onChange={(event) => set("environment", event.target.value)}
            placeholder="staging"
          />
        </Field>
      ) : null}
      <Field id={`${id}-purpose`} label="Purpose" wide>
        <textarea
          id={`${id}-purpose`}
          rows={2}
          value={draft.purpose}
          onChange={(event) => set("purpose", event.target.value)}
          placeholder="What requests belong here"
        />
      </Field>
      <Field id={`${id}-covers`} label="Covers" wide>
        <input
          id={`${id}-covers`}
          value={draft.coverage}
          aria-describedby={`${id}-covers-hint`}
          onChange={(event) => set("coverage", event.target.value)}
          placeholder="billing, invoices, tax"
        />
        <span className="field-hint muted" id={`${id}-covers-hint`}>
          Topics, separated by commas.
        </span>
      </Field>
      <div className="space-editor-actions">
        <button type="button" className="button button-small" onClick={onCancel}>
          {adding ? "Remove" : "Undo changes"}
        </button>
        <button type="button" className="button button-small" onClick={onDone}>
          Done
        </button>
      </div>
    </div>
  );
}
