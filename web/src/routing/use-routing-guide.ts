// An organisation's routing guide as loaded, and the organisation's registered repositories.
import { useCallback, useEffect, useState } from "react";
import type { RoutingGuide } from "../../../protocol/routing.ts";
import { ApiError, messageOf } from "../api/client.ts";
import { listRepositories } from "../api/repositories.ts";
import { getRoutingGuide } from "../api/routing.ts";

/** The guide as loaded. */
export type GuideLoad =
  | { status: "loading" }
  | { status: "error"; message: string; missing: boolean }
  | { status: "ready"; guide: RoutingGuide };

/** The guide of `org`; `reload` reads it again. */
export function useRoutingGuide(org: string): [GuideLoad, () => void] {
  const [state, setState] = useState<GuideLoad>({ status: "loading" });
  const [attempt, setAttempt] = useState(0);
  useEffect(() => {
    let current = true;
    setState({ status: "loading" });
    getRoutingGuide(org)
      .then((guide) => current && setState({ status: "ready", guide }))
      .catch((error: unknown) => {
        const missing = error instanceof ApiError && error.code === "not_found";
        if (current) setState({ status: "error", message: messageOf(error), missing });
      });
    return () => {
      current = false;
    };
  }, [org, attempt]);
  return [state, useCallback(() => setAttempt((n) => n + 1), [])];
}

/** The registered repositories of `org` this person sees, for suggestions; empty until read. */
export function useOrgRepositories(org: string): string[] {
  const [repos, setRepos] = useState<string[]>([]);
  useEffect(() => {
    let current = true;
    const owner = org.toLowerCase();
    listRepositories()
      .then((list) => {
        if (current)
          setRepos(list.map((r) => r.repo).filter((r) => r.split("/")[0]!.toLowerCase() === owner));
      })
      .catch(() => undefined);
    return () => {
      current = false;
    };
  }, [org]);
  return repos;
}
