// The registered repositories, and the image state of those a screen shows, read as they appear.
import { useCallback, useEffect, useRef, useState } from "react";
import { messageOf } from "../api/client.ts";
import {
  getRepository,
  listRepositories,
  type RepositoryDetail,
  type RepositoryInfo,
} from "../api/repositories.ts";

/** The list as loaded. */
export type RepositoryListState =
  | { status: "loading" }
  | { status: "error"; message: string }
  | { status: "ready"; repositories: RepositoryInfo[] };

/** Every registered repository; `reload` reads them again. */
export function useRepositoryList(): [RepositoryListState, () => void] {
  const [state, setState] = useState<RepositoryListState>({ status: "loading" });
  const [attempt, setAttempt] = useState(0);
  useEffect(() => {
    let current = true;
    setState({ status: "loading" });
    listRepositories()
      .then((repositories) => current && setState({ status: "ready", repositories }))
      .catch(
        (error: unknown) => current && setState({ status: "error", message: messageOf(error) }),
      );
    return () => {
      current = false;
    };
  }, [attempt]);
  return [state, useCallback(() => setAttempt((n) => n + 1), [])];
}

/**
 * Details (current image, pool) of the repositories in `shown`, each read once when it first
 * appears: a missing key is loading, null could not be read.
 */
export function useRepositoryDetails(
  shown: readonly string[],
): Readonly<Record<string, RepositoryDetail | null>> {
  const [details, setDetails] = useState<Record<string, RepositoryDetail | null>>({});
  const asked = useRef(new Set<string>());
  const key = shown.join("\n");
  useEffect(() => {
    for (const repo of key ? key.split("\n") : []) {
      if (asked.current.has(repo)) continue;
      asked.current.add(repo);
      getRepository(repo)
        .then((detail) => setDetails((all) => ({ ...all, [repo]: detail })))
        .catch(() => setDetails((all) => ({ ...all, [repo]: null })));
    }
  }, [key]);
  return details;
}
