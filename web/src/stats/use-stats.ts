// Loads the stats page's figures for a window of days.
import { useEffect, useState } from "react";
import { messageOf } from "../api/client.ts";
import { getStats, type StatsResponse } from "../api/stats.ts";

/** The figures as loaded for one window. */
export type StatsState =
  | { status: "loading" }
  | { status: "error"; message: string }
  | { status: "ready"; stats: StatsResponse };

/** The stats over the last `days` days; `reload` fetches again. */
export function useStats(days: number): [StatsState, () => void] {
  const [state, setState] = useState<StatsState>({ status: "loading" });
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    let current = true;
    setState({ status: "loading" });
    getStats(days)
      .then((stats) => current && setState({ status: "ready", stats }))
      .catch(
        (error: unknown) => current && setState({ status: "error", message: messageOf(error) }),
      );
    return () => {
      current = false;
    };
  }, [days, attempt]);

  return [state, () => setAttempt((n) => n + 1)];
}
