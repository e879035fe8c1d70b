// Pull requests and reviews as GitHub's REST API writes them (`pull-request-simple`,
// `pull-request`, `pull-request-review`, `pull-request-merge-result`).
import {
  roleOf,
  type Account,
  type Pull,
  type Repo,
  type Review,
  type World,
} from "../state/world.ts";
import { repoApiUrl, repoHtmlUrl, repository } from "./repository.ts";
import { simpleUser } from "./user.ts";

/** How a user is associated with a repository. */
export function authorAssociation(repo: Repo, account: Account): "OWNER" | "COLLABORATOR" | "NONE" {
  if (account.id === repo.owner.id) return "OWNER";
  return roleOf(repo, account.login) ? "COLLABORATOR" : "NONE";
}

/** The URLs of a pull request. */
export function pullUrls(world: World, repo: Repo, pull: Pull) {
  const api = repoApiUrl(world, repo);
  const html = `${repoHtmlUrl(world, repo)}/pull/${pull.number}`;
  const self = `${api}/pulls/${pull.number}`;
  return {
    url: self,
    html_url: html,
    diff_url: `${html}.diff`,
    patch_url: `${html}.patch`,
    issue_url: `${api}/issues/${pull.number}`,
    commits_url: `${self}/commits`,
    review_comments_url: `${self}/comments`,
    review_comment_url: `${api}/pulls/comments{/number}`,
    comments_url: `${api}/issues/${pull.number}/comments`,
    statuses_url: `${api}/statuses/${pull.headSha}`,
  };
}

/** The `pull-request-simple` object (pull request lists). */
export function pullRequestSimple(world: World, repo: Repo, pull: Pull) {
  const urls = pullUrls(world, repo, pull);
  const branch = (ref: string, sha: string) => ({
    label: `${repo.owner.login}:${ref}`,
    ref,
    sha,
    user: simpleUser(world, repo.owner),
    repo: repository(world, repo),
  });
  return {
    ...urls,
    id: pull.id,
    node_id: pull.nodeId,
    number: pull.number,
    state: pull.state,
    locked: false,
    title: pull.title,
    user: simpleUser(world, pull.user),
    body: pull.body,
    labels: [],
    milestone: null,
    active_lock_reason: null,
    created_at: pull.createdAt,
    updated_at: pull.updatedAt,
    closed_at: pull.closedAt,
    merged_at: pull.mergedAt,
    merge_commit_sha: pull.mergeCommitSha,
    assignee: null,
    assignees: [],
    requested_reviewers: [],
    requested_teams: [],
    head: branch(pull.headRef, pull.headSha),
    base: branch(pull.baseRef, pull.baseSha),
    _links: {
      self: { href: urls.url },
      html: { href: urls.html_url },
      issue: { href: urls.issue_url },
      comments: { href: urls.comments_url },
      review_comments: { href: urls.review_comments_url },
      review_comment: { href: urls.review_comment_url },
      commits: { href: urls.commits_url },
      statuses: { href: urls.statuses_url },
    },
    author_association: authorAssociation(repo, pull.user),
    auto_merge: null,
    draft: pull.draft,
  };
}

/** What `GET` of one pull request works out from git. */
export interface PullDetails {
  mergeable: boolean | null;
  additions: number;
  deletions: number;
  changedFiles: number;
  commits: number;
}

/** The `pull-request` object. */
export function pullRequest(world: World, repo: Repo, pull: Pull, details: PullDetails) {
  const mergeableState =
    pull.state === "closed" ? "unknown" : details.mergeable === false ? "dirty" : "clean";
  return {
    ...pullRequestSimple(world, repo, pull),
    merged: pull.merged,
    mergeable: pull.state === "closed" ? null : details.mergeable,
    rebaseable: false,
    mergeable_state: mergeableState,
    merged_by: pull.mergedBy ? simpleUser(world, pull.mergedBy) : null,
    comments: 0,
    review_comments: 0,
    maintainer_can_modify: pull.maintainerCanModify,
    commits: details.commits,
    additions: details.additions,
    deletions: details.deletions,
    changed_files: details.changedFiles,
  };
}

/** The `pull-request-review` object. */
export function pullRequestReview(world: World, repo: Repo, pull: Pull, review: Review) {
  const urls = pullUrls(world, repo, pull);
  const html = `${urls.html_url}#pullrequestreview-${review.id}`;
  return {
    id: review.id,
    node_id: review.nodeId,
    user: simpleUser(world, review.user),
    body: review.body,
    state: review.state,
    html_url: html,
    pull_request_url: urls.url,
    _links: { html: { href: html }, pull_request: { href: urls.url } },
    ...(review.submittedAt ? { submitted_at: review.submittedAt } : {}),
    commit_id: review.commitId,
    author_association: authorAssociation(repo, review.user),
  };
}
