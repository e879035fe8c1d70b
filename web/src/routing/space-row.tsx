// One space of the guide as a table row, with its Edit and Remove buttons.
import type { SpaceDraft } from "./space-draft.ts";

/** Props of SpaceRow. */
export interface SpaceRowProps {
  draft: SpaceDraft;
  /** The server's complaint about this space, if the last save had one. */
  invalid: boolean;
  onEdit: () => void;
  onRemove: () => void;
}

/** A row of the spaces table. */
export function SpaceRow({ draft, invalid, onEdit, onRemove }: SpaceRowProps) {
  const topics = draft.coverage
    .split(",")
    .map((topic) => topic.trim())
    .filter(Boolean);
  const name = draft.name.trim() || "(unnamed)";
  return (
    <tr className={invalid ? "space-row space-row-invalid" : "space-row"}>
      <th scope="row" className="mono">
        {name}
      </th>
      <td>
        <span className={`badge badge-space-${draft.kind}`}>{draft.kind}</span>
      </td>
      <td className="space-repo mono">{draft.repo}</td>
      <td>
        {draft.kind === "environment" && draft.environment.trim() ? (
          draft.environment
        ) : (
          <span className="muted">—</span>
        )}
      </td>
      <td className="space-purpose">{draft.purpose}</td>
      <td>
        {topics.length > 0 ? (
          <ul className="space-topics">
            {topics.map((topic) => (
              <li key={topic} className="badge">
                {topic}
              </li>
            ))}
          </ul>
        ) : (
          <span className="muted">—</span>
        )}
      </td>
      <td className="space-actions">
        <button
          type="button"
          className="button button-small"
          onClick={onEdit}
          aria-label={`Edit ${name}`}
        >
          Edit
        </button>
        <button
          type="button"
          className="button button-small button-danger"
          onClick={onRemove}
          aria-label={`Remove ${name}`}
        >
          Remove
        </button>
      </td>
    </tr>
  );
}
