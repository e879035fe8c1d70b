// The headline figure: how many sessions led to a merged pull request.
import type { StatsResponse } from "../api/stats.ts";

/** Props of Headline. */
export interface HeadlineProps {
  headline: StatsResponse["headline"];
  days: number;
}

/** The count of sessions with a merged pull request, big, and what it is out of. */
export function Headline({ headline, days }: HeadlineProps) {
  const { sessions, withMergedPr, rate } = headline;
  return (
    <section className="card stats-card stats-headline" aria-labelledby="stats-headline-title">
      <h2 id="stats-headline-title" className="stats-card-title">
        Sessions that led to a merged pull request
      </h2>
      <p className="stats-big">{withMergedPr}</p>
      <p className="muted">
        {sessions === 0
          ? `No sessions started in the last ${days} days.`
          : `of ${sessions} ${sessions === 1 ? "session" : "sessions"} started in the last ${days} days (${Math.round((rate ?? 0) * 100)}%)`}
      </p>
    </section>
  );
}
