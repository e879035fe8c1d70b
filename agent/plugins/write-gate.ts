// The write gate: reads run as soon as the sandbox exists (from the image, while git sync runs);
// calls that may change files wait until the workspace is synced to the latest commit.
import type { Plugin } from "../plugins.ts";

/** Where the session's workspace is in its sync. */
export interface WorkspaceSync {
  /** Whether the workspace is at the latest commit now. */
  isSynced(): boolean;
  /** Resolves when it is, or with the reason it will not be. */
  whenSynced(signal: AbortSignal): Promise<{ ok: true } | { ok: false; reason: string }>;
}

export function writeGate(sync: WorkspaceSync): Plugin {
  return {
    name: "write-gate",
    async "tool.execute.before"(call, signal) {
      if (call.access !== "write" || sync.isSynced()) return undefined;
      const synced = await sync.whenSynced(signal);
      return synced.ok
        ? undefined
        : {
            block: `The workspace could not be synced, so nothing may change it: ${synced.reason}`,
          };
    },
    "model.context"() {
      return sync.isSynced()
        ? null
        : "The workspace is still syncing to the latest commit of the base branch. You can read files now; calls that change files (writes, edits, commands) wait until the sync is done.";
    },
  };
}
