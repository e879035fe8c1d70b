// What a pull request's git data says: its branches' current commits, whether it merges cleanly,
// and how big it is.
import { branchSha, diffStats, mergeTree } from "../git/commands.ts";
import type { PullDetails } from "../shapes/pull-request.ts";
import type { Pull, Repo } from "../state/world.ts";

/** Brings an open pull request's head and base commits up to date with its branches. */
export async function refreshPull(repo: Repo, pull: Pull): Promise<void> {
  if (pull.state !== "open") return;
  const [head, base] = await Promise.all([
    branchSha(repo.dir, pull.headRef),
    branchSha(repo.dir, pull.baseRef),
  ]);
  if (head) pull.headSha = head;
  if (base) pull.baseSha = base;
}

/** Mergeability (open pull requests only) and size, from the recorded head and base commits. */
export async function pullDetails(repo: Repo, pull: Pull): Promise<PullDetails> {
  await refreshPull(repo, pull);
  const stats = await diffStats(repo.dir, pull.baseSha, pull.headSha);
  const mergeable =
    pull.state === "open" ? (await mergeTree(repo.dir, pull.baseSha, pull.headSha)) !== null : null;
  return { mergeable, ...stats };
}
