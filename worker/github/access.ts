// Who may open sessions on what: with GitHub configured, a person reaches a repository only as far
// as their own GitHub access goes (checked with their user token, not the App's).
import { GitHubError } from "../../github/api.ts";
import { TandemError } from "../../protocol/errors.ts";
import type { GitHub } from "../../github/github.ts";

/** What the checks need: GitHub, or null when it is not configured. */
type WithGitHub = { github: GitHub | null };

/** Throws unless `userId` may work on `repo`; a no-op when GitHub is not configured. */
export async function requireRepositoryAccess(
  deps: WithGitHub,
  userId: string,
  repo: string,
): Promise<void> {
  const gh = deps.github;
  if (!gh) return;
  const token = await gh.userToken(userId);
  if (!token) {
    throw new TandemError(
      "forbidden",
      "Sign in with GitHub to work on GitHub repositories (your GitHub sign-in is missing or has expired).",
    );
  }
  const [owner, name] = repo.split("/") as [string, string];
  const repository = await gh.api.repository(token, owner, name).catch((error: unknown) => {
    if (error instanceof GitHubError && error.status === 401) {
      throw new TandemError(
        "forbidden",
        "GitHub no longer accepts your sign-in (it was revoked or expired): sign in with GitHub again.",
      );
    }
    throw error;
  });
  if (!repository || repository.permissions?.pull === false) {
    // The same answer whether it does not exist or is hidden from this person.
    throw new TandemError("not_found", `No repository ${repo} that your GitHub account can reach.`);
  }
}

/** The repositories of `repos` this person's GitHub access reaches (all of them without GitHub). */
export async function reachableRepositories<T extends { repo: string }>(
  deps: WithGitHub,
  userId: string,
  repos: readonly T[],
): Promise<T[]> {
  const gh = deps.github;
  if (!gh) return [...repos];
  const token = await gh.userToken(userId);
  if (!token) return [];
  const reachable: T[] = [];
  // A few at a time: each is one call to GitHub.
  for (let i = 0; i < repos.length; i += 8) {
    const batch = repos.slice(i, i + 8);
    const seen = await Promise.all(
      batch.map(async (r) => {
        const [owner, name] = r.repo.split("/") as [string, string];
        const found = await gh.api.repository(token, owner, name).catch(() => null);
        return found !== null && found.permissions?.pull !== false;
      }),
    );
    batch.forEach((r, j) => seen[j] && reachable.push(r));
  }
  return reachable;
}
