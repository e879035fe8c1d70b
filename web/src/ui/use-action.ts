// The busy flag and the error of one async action a component starts: a save, a sign-in, a close.
import { useCallback, useEffect, useRef, useState } from "react";
import { messageOf } from "../api/client.ts";

/** How an action ends when its work succeeds. */
export interface RunOptions {
  /**
   * Success leaves the action busy: the work ends by replacing the component (it navigates, signs
   * in, or the list drops the row), and its button must not come back in the meantime.
   */
  keepBusy?: boolean;
}

/** Where an action writes its state. */
export interface ActionTarget {
  setBusy(busy: boolean): void;
  setError(error: string | null): void;
  /** False once the component is gone; nothing is written after that. */
  isMounted(): boolean;
}

/** Runs `work` as one action: busy with no error while it runs, then the failure's message as the error. */
export async function runAction(
  work: () => Promise<unknown>,
  target: ActionTarget,
  options: RunOptions = {},
): Promise<void> {
  if (target.isMounted()) {
    target.setBusy(true);
    target.setError(null);
  }
  try {
    await work();
  } catch (failure) {
    if (target.isMounted()) {
      target.setError(messageOf(failure));
      target.setBusy(false);
    }
    return;
  }
  if (!options.keepBusy && target.isMounted()) target.setBusy(false);
}

/** An action's state, `setError` for problems found before it starts, and `run` to start it. */
export interface Action {
  busy: boolean;
  error: string | null;
  setError: (error: string | null) => void;
  run: (work: () => Promise<unknown>, options?: RunOptions) => Promise<void>;
}

/** The state of one async action, safe to finish after the component has unmounted. */
export function useAction(): Action {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const mounted = useRef(false);
  // Set in the effect, not only at creation: StrictMode unmounts and mounts again in development.
  useEffect(() => {
    mounted.current = true;
    return () => {
      mounted.current = false;
    };
  }, []);
  const run = useCallback(
    (work: () => Promise<unknown>, options?: RunOptions) =>
      runAction(work, { setBusy, setError, isMounted: () => mounted.current }, options),
    [],
  );
  return { busy, error, setError, run };
}
