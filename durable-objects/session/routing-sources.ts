// Where a session finds its organisation's routing guide: the guide kept in D1, or else the table
// in its own repository (`.tandem/routing.md`, or the `## Routing` section of AGENTS.md).
import { guideFromRepositoryFiles } from "../../orchestration/routing/guide-markdown.ts";
import type { RoutingGuide } from "../../protocol/routing.ts";
import type { Database } from "../../worker/db/database.ts";
import { loadGuide } from "../../worker/routing/guide-store.ts";
import type { SessionSandbox } from "./session-sandbox.ts";

/** How long a fan-out waits for the sandbox to read the repository's routing table. */
const FILE_WAIT_MS = 5_000;
const FILES = [".tandem/routing.md", "AGENTS.md"];

export function routingGuides(db: Database, sandbox: SessionSandbox) {
  return async (org: string): Promise<RoutingGuide> => {
    const stored = await loadGuide(db, org);
    if (stored.spaces.length > 0 || !sandbox.provider) return stored;
    const ready = await sandbox.whenExists(AbortSignal.timeout(FILE_WAIT_MS)).catch(() => null);
    if (!ready?.ok) return stored;
    const files = [];
    for (const path of FILES) {
      const read = await sandbox.provider.readFile(ready.sandboxId, `/workspace/${path}`, {
        maxBytes: 256 * 1024,
      });
      if (read.found) files.push({ path, text: new TextDecoder().decode(read.data) });
    }
    const found = guideFromRepositoryFiles(files);
    if (!found?.ok) return stored;
    return { org: stored.org, spaces: found.spaces, source: "repository", updatedAt: null };
  };
}
