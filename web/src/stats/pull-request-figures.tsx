// Pull request activity in the window: opened, reviewed, revised, merged.
import type { StatsResponse } from "../api/stats.ts";

const ROWS: readonly { key: keyof StatsResponse["pullRequests"]; label: string }[] = [
  { key: "opened", label: "Opened" },
  { key: "approved", label: "Approved" },
  { key: "changesRequested", label: "Changes requested" },
  { key: "revised", label: "Revised" },
  { key: "merged", label: "Merged" },
  { key: "closed", label: "Closed unmerged" },
];

/** A count per kind of pull request event. */
export function PullRequestFigures({ counts }: { counts: StatsResponse["pullRequests"] }) {
  const none = ROWS.every((row) => counts[row.key] === 0);
  return (
    <section className="card stats-card" aria-labelledby="stats-pull-requests-title">
      <h2 id="stats-pull-requests-title" className="stats-card-title">
        Pull requests
      </h2>
      <dl className="stats-counts">
        {ROWS.map((row) => (
          <div key={row.key} className="stats-count">
            <dt className="muted">{row.label}</dt>
            <dd>{counts[row.key]}</dd>
          </div>
        ))}
      </dl>
      {none ? <p className="muted">Pull requests show here once sessions open them.</p> : null}
    </section>
  );
}
