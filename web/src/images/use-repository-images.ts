// A repository's details and image history, read again when a build ends or one is started, and
// every little while, since the warm pool fills without a message on the build socket.
import { useCallback, useEffect, useState } from "react";
import { ApiError, messageOf } from "../api/client.ts";
import {
  getRepository,
  listImages,
  type ImageInfo,
  type RepositoryDetail,
} from "../api/repositories.ts";

/** How often the page reads the repository again while it is visible. */
const REREAD_INTERVAL_MS = 15_000;

/** The page's data as loaded. */
export type RepositoryImagesState =
  | { status: "loading" }
  | { status: "error"; message: string; missing: boolean }
  | { status: "ready"; detail: RepositoryDetail; images: ImageInfo[]; readAt: number };

/** The repository and its images; `refresh` changes whenever they should be read again. */
export function useRepositoryImages(
  repo: string,
  refresh: number,
): [RepositoryImagesState, () => void] {
  const [state, setState] = useState<RepositoryImagesState>({ status: "loading" });
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    let current = true;
    Promise.all([getRepository(repo), listImages(repo)])
      .then(
        ([detail, images]) =>
          current && setState({ status: "ready", detail, images, readAt: Date.now() }),
      )
      .catch((error: unknown) => {
        if (!current) return;
        const missing = error instanceof ApiError && error.code === "not_found";
        // A failed re-read keeps what is shown; only a first read shows the error.
        setState((shown) =>
          shown.status === "ready" && !missing
            ? shown
            : { status: "error", message: messageOf(error), missing },
        );
      });
    return () => {
      current = false;
    };
  }, [repo, refresh, attempt]);

  useEffect(() => {
    const timer = setInterval(() => {
      if (document.visibilityState === "visible") setAttempt((n) => n + 1);
    }, REREAD_INTERVAL_MS);
    return () => clearInterval(timer);
  }, []);

  return [state, useCallback(() => setAttempt((n) => n + 1), [])];
}
