// The live "prompting now" list: starts from the stats answer and refreshes every 10 seconds.
import { useEffect, useRef, useState } from "react";
import { getActiveNow, type ActivePerson } from "../api/stats.ts";
import { useVisibleInterval } from "./use-visible-interval.ts";

/** How often the list is fetched again while the page is visible. */
export const ACTIVE_NOW_REFRESH_MS = 10_000;

/** The list, when it was last fetched, and whether the last refresh failed. */
export interface ActiveNowState {
  people: ActivePerson[];
  checkedAt: number;
  failed: boolean;
}

/** People prompting in my sessions now, kept fresh while the page is in view. */
export function useActiveNow(initial: ActivePerson[]): ActiveNowState {
  const [state, setState] = useState<ActiveNowState>(() => fresh(initial));
  // Answers can overtake each other; only the newest request may write.
  const sent = useRef(0);

  useEffect(() => {
    sent.current++;
    setState(fresh(initial));
  }, [initial]);

  useVisibleInterval(() => {
    const request = ++sent.current;
    getActiveNow()
      .then((people) => request === sent.current && setState(fresh(people)))
      .catch(() => request === sent.current && setState((s) => ({ ...s, failed: true })));
  }, ACTIVE_NOW_REFRESH_MS);

  return state;
}

function fresh(people: ActivePerson[]): ActiveNowState {
  return { people, checkedAt: Date.now(), failed: false };
}
