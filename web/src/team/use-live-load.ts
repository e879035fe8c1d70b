// Reads something over HTTP once, then again shortly after the timeline shows it changed.
import { useCallback, useEffect, useRef, useState } from "react";
import { ApiError, messageOf } from "../api/client.ts";

/** How long after a relevant event a panel reads again; a burst of events reads once. */
export const REFRESH_DEBOUNCE_MS = 300;
/** A first read that fails (a busy server, a dropped connection) is tried again this often. */
const FIRST_READ_RETRIES = 3;
const RETRY_DELAY_MS = 1_000;

/** What a panel has read: loading the first time, then the latest value or the latest failure. */
export type LiveLoad<T> =
  | { status: "loading" }
  | { status: "error"; message: string; missing: boolean }
  | { status: "ready"; value: T };

/**
 * `load()` on mount, and again `REFRESH_DEBOUNCE_MS` after `changedAt` (the seq of the newest
 * relevant event) last moved. A value already shown stays while a newer read is under way or
 * when it fails, and only the newest read's answer lands.
 */
export function useLiveLoad<T>(
  load: () => Promise<T>,
  changedAt: number,
): [LiveLoad<T>, () => void] {
  const [state, setState] = useState<LiveLoad<T>>({ status: "loading" });
  const latest = useRef(0);
  const shownOnce = useRef(false);
  const read = useCallback(() => {
    const ticket = ++latest.current;
    const attempt = (left: number): void => {
      load()
        .then((value) => {
          if (ticket !== latest.current) return;
          shownOnce.current = true;
          setState({ status: "ready", value });
        })
        .catch((error: unknown) => {
          if (ticket !== latest.current) return;
          const missing = error instanceof ApiError && error.code === "not_found";
          if (!missing && !shownOnce.current && left > 0) {
            setTimeout(() => ticket === latest.current && attempt(left - 1), RETRY_DELAY_MS);
            return;
          }
          // A refresh that fails keeps what is shown; the next event reads again.
          setState((shown) =>
            shown.status === "ready"
              ? shown
              : { status: "error", message: messageOf(error), missing },
          );
        });
    };
    attempt(FIRST_READ_RETRIES);
  }, [load]);

  useEffect(() => {
    read();
    return () => {
      latest.current++;
    };
  }, [read]);

  const firstChange = useRef(changedAt);
  useEffect(() => {
    if (changedAt === firstChange.current) return;
    const timer = setTimeout(read, REFRESH_DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [changedAt, read]);

  return [state, read];
}
