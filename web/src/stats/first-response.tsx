// The median time from a turn starting to the model's first output.
import type { StatsResponse } from "../api/stats.ts";
import { formatDuration } from "../ui/format.ts";

/** The p50 time to first response, and how many turns it is taken over. */
export function FirstResponse({
  firstResponse,
}: {
  firstResponse: StatsResponse["firstResponse"];
}) {
  const { p50Ms, samples } = firstResponse;
  return (
    <section className="card stats-card" aria-labelledby="stats-first-response-title">
      <h2 id="stats-first-response-title" className="stats-card-title">
        Time to first response
      </h2>
      <p className="stats-figure">{p50Ms === null ? "—" : formatDuration(p50Ms)}</p>
      <p className="muted">
        {samples === 0
          ? "No turns yet."
          : `median over ${samples} ${samples === 1 ? "turn" : "turns"}, from the turn starting to the model's first output`}
      </p>
    </section>
  );
}
