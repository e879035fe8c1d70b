// The Session object's writes of its pull request to the D1 index, where webhooks look it up.
import { pullRequests } from "../../worker/db/github.sql.ts";
import type { Database } from "../../worker/db/database.ts";
import type { PullRequestIndex } from "./pull-request.ts";

export function d1PullRequests(db: Database): PullRequestIndex {
  return {
    async save(row) {
      const values = {
        sessionId: row.sessionId,
        repo: row.repo,
        number: row.number,
        url: row.url,
        branch: row.branch,
        state: row.state,
        openedBy: row.openedBy,
        updatedAt: row.at,
      };
      await db
        .insert(pullRequests)
        .values(values)
        .onConflictDoUpdate({ target: pullRequests.sessionId, set: values })
        .run();
    },
  };
}
