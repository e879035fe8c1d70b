// Who may read and edit an organisation's routing guide, and which repositories its spaces may name.
import { TandemError } from "../../protocol/errors.ts";
import type { Space } from "../../protocol/routing.ts";
import type { Deps } from "../deps.ts";
import { reachableRepositories } from "../github/access.ts";

/** The registered repositories of `org` that this person reaches; not_found when there are none. */
export async function reachableOrgRepositories(
  deps: Deps,
  userId: string,
  org: string,
): Promise<string[]> {
  const key = org.toLowerCase();
  const ofOrg = (await deps.registry.repositoryList()).filter(
    (r) => r.repo.split("/")[0]!.toLowerCase() === key,
  );
  const reachable = await reachableRepositories(deps, userId, ofOrg);
  if (reachable.length === 0)
    // The same answer whether the organisation is unknown or hidden from this person.
    throw new TandemError(
      "not_found",
      `No organisation ${org} that you can reach: register one of its repositories first, or sign in with an account that can reach them.`,
    );
  return reachable.map((r) => r.repo);
}

/**
 * The spaces with each repository spelled as registered; invalid_input naming the first space whose
 * repository is outside `org` or not among the registered repositories the person reaches.
 */
export function withReachableRepositories(
  org: string,
  spaces: readonly Space[],
  reachable: readonly string[],
): Space[] {
  const byKey = new Map(reachable.map((repo) => [repo.toLowerCase(), repo]));
  return spaces.map((space) => {
    const owner = space.repo.split("/")[0]!;
    if (owner.toLowerCase() !== org.toLowerCase())
      throw new TandemError(
        "invalid_input",
        `The space \`${space.name}\` names ${space.repo}, which is not in the organisation ${org}; a guide lists only its organisation's repositories.`,
      );
    const repo = byKey.get(space.repo.toLowerCase());
    if (!repo)
      throw new TandemError(
        "invalid_input",
        `The space \`${space.name}\` names ${space.repo}, which is not a registered repository you can reach; register it first.`,
      );
    return { ...space, repo };
  });
}
