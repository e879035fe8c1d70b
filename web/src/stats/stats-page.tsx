// The stats page: merged pull requests, usage over time, who is prompting now, time to first response.
import { useState } from "react";
import type { StatsResponse } from "../api/stats.ts";
import { Link } from "../router/link.tsx";
import { LoadFailed } from "../ui/load-failed.tsx";
import { StateMessage } from "../ui/state-message.tsx";
import { ActiveNowList } from "./active-now-list.tsx";
import { ChoiceGroup } from "./choice-group.tsx";
import { FirstResponse } from "./first-response.tsx";
import { Headline } from "./headline.tsx";
import { PullRequestFigures } from "./pull-request-figures.tsx";
import { UsagePanel } from "./usage-panel.tsx";
import { useStats } from "./use-stats.ts";

/** The periods people can look back over, in days. */
const WINDOWS: readonly { value: number; label: string }[] = [
  { value: 7, label: "7 days" },
  { value: 30, label: "30 days" },
  { value: 90, label: "90 days" },
];

/** Stats over the sessions I take part in. */
export function StatsPage() {
  const [days, setDays] = useState<number>(30);
  const [state, reload] = useStats(days);

  return (
    <main className="page stats" id="main">
      <div className="page-head stats-head">
        <div>
          <h1>Stats</h1>
          <p className="muted">Across the sessions you take part in.</p>
        </div>
        <ChoiceGroup<number> label="Period" options={WINDOWS} value={days} onChange={setDays} />
      </div>
      {state.status === "loading" ? <StateMessage kind="loading" title="Loading stats…" /> : null}
      {state.status === "error" ? (
        <LoadFailed
          title="The stats could not be loaded."
          message={state.message}
          onRetry={reload}
        />
      ) : null}
      {state.status === "ready" && isEmpty(state.stats) ? (
        <StateMessage
          kind="empty"
          title={`Nothing happened in your sessions in the last ${days} days.`}
        >
          <p>
            Stats count the sessions you take part in. <Link href="/">Start a session</Link> or pick
            a longer period.
          </p>
        </StateMessage>
      ) : null}
      {state.status === "ready" && !isEmpty(state.stats) ? (
        <div className="stats-body">
          <div className="stats-top">
            <Headline headline={state.stats.headline} days={days} />
            <FirstResponse firstResponse={state.stats.firstResponse} />
            <ActiveNowList initial={state.stats.activeNow} />
          </div>
          <UsagePanel usage={state.stats.usage} />
          <PullRequestFigures counts={state.stats.pullRequests} />
        </div>
      ) : null}
    </main>
  );
}

/** Whether the window holds nothing at all to show. */
function isEmpty(stats: StatsResponse): boolean {
  return (
    stats.headline.sessions === 0 &&
    stats.activeNow.length === 0 &&
    stats.firstResponse.samples === 0 &&
    stats.usage.every((day) => day.prompts === 0 && day.costUsd === 0) &&
    Object.values(stats.pullRequests).every((count) => count === 0)
  );
}
