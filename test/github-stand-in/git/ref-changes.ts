// What follows a change of a repository's refs (a push, a merge): a `push` webhook per changed
// ref, and `synchronize` for the open pull requests whose head branch moved.
import type { StandInContext } from "../context.ts";
import { pullDetails } from "../pulls/pull-details.ts";
import { installationFor, timestamp, type Account, type Repo } from "../state/world.ts";
import { pullRequestPayload, pushPayload, type PushedCommit } from "../webhooks/payloads.ts";
import { changedPaths, commitInfo, commitsBetween, git } from "./commands.ts";

const ZERO_SHA = "0".repeat(40);
/** GitHub lists at most this many commits in a push event. */
const MAX_PUSH_COMMITS = 20;

/** Sends a repository's event to the App, when the App is installed on the repository. */
export function sendRepoEvent(
  ctx: StandInContext,
  repo: Repo,
  event: string,
  payload: Record<string, unknown>,
): void {
  if (installationFor(ctx.world, repo)) ctx.deliveries.send(event, payload);
}

async function pushedCommits(
  repo: Repo,
  before: string,
  after: string,
  oldRefs: string[],
): Promise<PushedCommit[]> {
  if (after === ZERO_SHA) return [];
  const exclude = before === ZERO_SHA ? oldRefs : [before];
  const shas = (await commitsBetween(repo.dir, after, exclude)).slice(-MAX_PUSH_COMMITS);
  return Promise.all(
    shas.map(async (sha) => ({
      info: await commitInfo(repo.dir, sha),
      ...(await changedPaths(repo.dir, sha)),
    })),
  );
}

/** Announces every ref that differs between `before` and `after` (full ref name → commit id). */
export async function announceRefChanges(
  ctx: StandInContext,
  repo: Repo,
  before: Map<string, string>,
  after: Map<string, string>,
  pusher: Account,
): Promise<void> {
  const names = [...new Set([...before.keys(), ...after.keys()])].sort();
  const changed = names.filter((name) => before.get(name) !== after.get(name));
  if (changed.length === 0) return;
  repo.pushedAt = timestamp(ctx.world);
  repo.updatedAt = repo.pushedAt;
  for (const ref of changed) {
    const old = before.get(ref) ?? ZERO_SHA;
    const now = after.get(ref) ?? ZERO_SHA;
    const forced =
      old !== ZERO_SHA &&
      now !== ZERO_SHA &&
      (await git(repo.dir, ["merge-base", "--is-ancestor", old, now])).code !== 0;
    const commits = await pushedCommits(repo, old, now, [...before.values()]);
    sendRepoEvent(
      ctx,
      repo,
      "push",
      pushPayload(ctx.world, repo, { ref, before: old, after: now, forced, commits, pusher }),
    );
    if (!ref.startsWith("refs/heads/") || now === ZERO_SHA) continue;
    const branch = ref.slice("refs/heads/".length);
    for (const pull of repo.pulls) {
      if (pull.state !== "open") continue;
      if (pull.baseRef === branch) pull.baseSha = now;
      if (pull.headRef !== branch || pull.headSha === now) continue;
      const previous = pull.headSha;
      pull.headSha = now;
      pull.updatedAt = timestamp(ctx.world);
      const details = await pullDetails(repo, pull);
      sendRepoEvent(
        ctx,
        repo,
        "pull_request",
        pullRequestPayload(ctx.world, repo, pull, details, "synchronize", pusher, {
          before: previous,
          after: now,
        }),
      );
    }
  }
}
