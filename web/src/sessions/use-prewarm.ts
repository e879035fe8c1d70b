// Asks once per repository for a warm sandbox, as soon as someone starts writing a prompt for it.
import { useCallback, useRef } from "react";
import { prewarm } from "../api/repositories.ts";

/** A function to call on every keystroke; it asks for each registered repository at most once. */
export function usePrewarm(): (repo: string | null, registered: boolean) => void {
  const asked = useRef(new Set<string>());
  return useCallback((repo: string | null, registered: boolean) => {
    if (!repo || !registered || asked.current.has(repo)) return;
    asked.current.add(repo);
    // A failed warm-up only makes the first turn slower; creating the session says what is wrong.
    prewarm(repo).catch(() => undefined);
  }, []);
}
