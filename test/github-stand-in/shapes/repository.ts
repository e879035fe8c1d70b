// Repositories as GitHub's REST API writes them: `repository` (in lists and pull requests) and
// `full-repository` (`GET /repos/{owner}/{repo}`).
import { permissionFlags } from "../state/access.ts";
import type { Permission, Repo, World } from "../state/world.ts";
import { simpleUser } from "./user.ts";

/** The repository's API URL, `…/repos/owner/name`. */
export const repoApiUrl = (world: World, repo: Repo): string =>
  `${world.baseUrl}/repos/${repo.owner.login}/${repo.name}`;

/** The repository's page URL (and the root of its git URL). */
export const repoHtmlUrl = (world: World, repo: Repo): string =>
  `${world.baseUrl}/${repo.owner.login}/${repo.name}`;

/** The URL fields every repository object carries. */
function repoUrls(world: World, repo: Repo) {
  const api = repoApiUrl(world, repo);
  const html = repoHtmlUrl(world, repo);
  const host = new URL(world.baseUrl).host;
  return {
    html_url: html,
    url: api,
    forks_url: `${api}/forks`,
    keys_url: `${api}/keys{/key_id}`,
    collaborators_url: `${api}/collaborators{/collaborator}`,
    teams_url: `${api}/teams`,
    hooks_url: `${api}/hooks`,
    issue_events_url: `${api}/issues/events{/number}`,
    events_url: `${api}/events`,
    assignees_url: `${api}/assignees{/user}`,
    branches_url: `${api}/branches{/branch}`,
    tags_url: `${api}/tags`,
    blobs_url: `${api}/git/blobs{/sha}`,
    git_tags_url: `${api}/git/tags{/sha}`,
    git_refs_url: `${api}/git/refs{/sha}`,
    trees_url: `${api}/git/trees{/sha}`,
    statuses_url: `${api}/statuses/{sha}`,
    languages_url: `${api}/languages`,
    stargazers_url: `${api}/stargazers`,
    contributors_url: `${api}/contributors`,
    subscribers_url: `${api}/subscribers`,
    subscription_url: `${api}/subscription`,
    commits_url: `${api}/commits{/sha}`,
    git_commits_url: `${api}/git/commits{/sha}`,
    comments_url: `${api}/comments{/number}`,
    issue_comment_url: `${api}/issues/comments{/number}`,
    contents_url: `${api}/contents/{+path}`,
    compare_url: `${api}/compare/{base}...{head}`,
    merges_url: `${api}/merges`,
    archive_url: `${api}/{archive_format}{/ref}`,
    downloads_url: `${api}/downloads`,
    issues_url: `${api}/issues{/number}`,
    pulls_url: `${api}/pulls{/number}`,
    milestones_url: `${api}/milestones{/number}`,
    notifications_url: `${api}/notifications{?since,all,participating}`,
    labels_url: `${api}/labels{/name}`,
    releases_url: `${api}/releases{/id}`,
    deployments_url: `${api}/deployments`,
    git_url: `git://${host}/${repo.owner.login}/${repo.name}.git`,
    ssh_url: `git@${host}:${repo.owner.login}/${repo.name}.git`,
    clone_url: `${html}.git`,
    svn_url: html,
  };
}

/** The `repository` object; `role` adds the caller's `permissions` (user tokens only). */
export function repository(world: World, repo: Repo, role: Permission | null = null) {
  return {
    id: repo.id,
    node_id: repo.nodeId,
    name: repo.name,
    full_name: `${repo.owner.login}/${repo.name}`,
    private: repo.private,
    owner: simpleUser(world, repo.owner),
    description: null,
    fork: false,
    ...repoUrls(world, repo),
    homepage: null,
    mirror_url: null,
    size: 0,
    stargazers_count: 0,
    watchers_count: 0,
    watchers: 0,
    language: null,
    has_issues: true,
    has_projects: false,
    has_downloads: true,
    has_wiki: false,
    has_pages: false,
    has_discussions: false,
    forks_count: 0,
    forks: 0,
    archived: false,
    disabled: false,
    open_issues_count: repo.pulls.filter((pull) => pull.state === "open").length,
    open_issues: repo.pulls.filter((pull) => pull.state === "open").length,
    license: null,
    allow_forking: false,
    is_template: false,
    web_commit_signoff_required: false,
    topics: [],
    visibility: repo.private ? "private" : "public",
    default_branch: repo.defaultBranch,
    created_at: repo.createdAt,
    updated_at: repo.updatedAt,
    pushed_at: repo.pushedAt,
    allow_squash_merge: true,
    allow_merge_commit: true,
    allow_rebase_merge: false,
    delete_branch_on_merge: false,
    ...(role ? { permissions: permissionFlags(role) } : {}),
  };
}

/** The `full-repository` object of `GET /repos/{owner}/{repo}`. */
export function fullRepository(world: World, repo: Repo, role: Permission | null) {
  return {
    ...repository(world, repo, role),
    allow_auto_merge: false,
    allow_update_branch: false,
    use_squash_pr_title_as_default: false,
    squash_merge_commit_title: "COMMIT_OR_PR_TITLE",
    squash_merge_commit_message: "COMMIT_MESSAGES",
    merge_commit_title: "MERGE_MESSAGE",
    merge_commit_message: "PR_TITLE",
    network_count: 0,
    subscribers_count: 0,
  };
}
