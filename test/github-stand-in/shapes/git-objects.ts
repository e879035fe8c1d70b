// Commits, branches and refs as GitHub's REST API writes them (`commit`, `branch-with-protection`,
// `git-ref`).
import type { CommitInfo } from "../git/commands.ts";
import type { Repo, World } from "../state/world.ts";
import { repoApiUrl, repoHtmlUrl } from "./repository.ts";
import { simpleUser } from "./user.ts";

/** The user whose email a commit names, as `simple-user`, or `{}` when none. */
function userByEmail(world: World, email: string) {
  const account = [...world.accounts.values()].find(
    (candidate) => candidate.email?.toLowerCase() === email.toLowerCase(),
  );
  return account ? simpleUser(world, account) : {};
}

/** The `commit` object. */
export function commitObject(world: World, repo: Repo, info: CommitInfo) {
  const api = repoApiUrl(world, repo);
  const html = repoHtmlUrl(world, repo);
  return {
    sha: info.sha,
    node_id: Buffer.from(`06:Commit${repo.id}:${info.sha}`).toString("base64"),
    url: `${api}/commits/${info.sha}`,
    html_url: `${html}/commit/${info.sha}`,
    comments_url: `${api}/commits/${info.sha}/comments`,
    commit: {
      url: `${api}/git/commits/${info.sha}`,
      author: info.author,
      committer: info.committer,
      message: info.message,
      comment_count: 0,
      tree: { sha: info.tree, url: `${api}/git/trees/${info.tree}` },
      verification: {
        verified: false,
        reason: "unsigned",
        signature: null,
        payload: null,
        verified_at: null,
      },
    },
    author: userByEmail(world, info.author.email),
    committer: userByEmail(world, info.committer.email),
    parents: info.parents.map((sha) => ({
      sha,
      url: `${api}/commits/${sha}`,
      html_url: `${html}/commit/${sha}`,
    })),
  };
}

/** The `branch-with-protection` object of an unprotected branch. */
export function branchObject(world: World, repo: Repo, name: string, head: CommitInfo) {
  const api = repoApiUrl(world, repo);
  return {
    name,
    commit: commitObject(world, repo, head),
    _links: {
      self: `${api}/branches/${encodeURIComponent(name)}`,
      html: `${repoHtmlUrl(world, repo)}/tree/${name}`,
    },
    protected: false,
    protection: {
      enabled: false,
      required_status_checks: { enforcement_level: "off", contexts: [], checks: [] },
    },
    protection_url: `${api}/branches/${encodeURIComponent(name)}/protection`,
  };
}

/** The `git-ref` object of a branch. */
export function gitRefObject(world: World, repo: Repo, ref: string, sha: string) {
  const api = repoApiUrl(world, repo);
  return {
    ref,
    node_id: Buffer.from(`03:Ref${repo.id}:${ref}`).toString("base64"),
    url: `${api}/git/${ref}`,
    object: { sha, type: "commit", url: `${api}/git/commits/${sha}` },
  };
}
