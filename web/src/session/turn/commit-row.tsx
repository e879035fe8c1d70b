// A commit the turn made: short sha, first line of the message, author, branch and files.
import type { CommitItem } from "../turn-state.ts";

/** Files listed before the rest fold away. */
const FILES_SHOWN = 3;

/** Shows one commit; long file lists unfold on request. */
export function CommitRow({ item }: { item: CommitItem }) {
  const subject = item.message.split("\n")[0] ?? "";
  const shown = item.files.slice(0, FILES_SHOWN);
  const rest = item.files.slice(FILES_SHOWN);
  return (
    <div className="turn-commit">
      <p className="turn-commit-head">
        <span className="turn-commit-glyph" aria-hidden="true">
          ◉
        </span>
        <span className="visually-hidden">Commit </span>
        <code className="turn-commit-sha" title={item.sha}>
          {item.sha.slice(0, 7)}
        </code>
        <span className="turn-commit-subject">{subject}</span>
      </p>
      <p className="turn-commit-meta muted">
        {item.author.name} on <span className="mono">{item.branch}</span> ·{" "}
        {item.files.length === 1 ? "1 file" : `${item.files.length} files`}
      </p>
      {item.files.length > 0 ? (
        <ul className="turn-commit-files" aria-label="Files changed">
          {shown.map((file) => (
            <li key={file} className="mono">
              {file}
            </li>
          ))}
          {rest.length > 0 ? (
            <li>
              <details>
                <summary>{rest.length} more</summary>
                <ul>
                  {rest.map((file) => (
                    <li key={file} className="mono">
                      {file}
                    </li>
                  ))}
                </ul>
              </details>
            </li>
          ) : null}
        </ul>
      ) : null}
    </div>
  );
}
