// Webhook payloads shaped as GitHub sends them to an App: `pull_request`, `pull_request_review`,
// `push`, `installation` and `installation_repositories`.
import type { CommitInfo } from "../git/commands.ts";
import { installation as installationObject } from "../shapes/app.ts";
import { pullRequest, pullRequestReview, type PullDetails } from "../shapes/pull-request.ts";
import { repoHtmlUrl, repository } from "../shapes/repository.ts";
import { simpleUser } from "../shapes/user.ts";
import {
  installationFor,
  nodeId,
  type Account,
  type Installation,
  type Pull,
  type Repo,
  type Review,
  type World,
} from "../state/world.ts";

/** The `installation` field of repository events: `{ id, node_id }`. */
function installationRef(world: World, repo: Repo) {
  const found = installationFor(world, repo);
  return found ? { installation: { id: found.id, node_id: nodeId("Installation", found.id) } } : {};
}

/** The `repository` field of webhook payloads. */
function webhookRepository(world: World, repo: Repo) {
  return { ...repository(world, repo), custom_properties: {} };
}

/** A `pull_request` event; `synchronize` carries the head's `before` and `after`. */
export function pullRequestPayload(
  world: World,
  repo: Repo,
  pull: Pull,
  details: PullDetails,
  action: "opened" | "closed" | "reopened" | "synchronize" | "edited",
  sender: Account,
  extra: Record<string, unknown> = {},
) {
  return {
    action,
    number: pull.number,
    ...extra,
    pull_request: pullRequest(world, repo, pull, details),
    repository: webhookRepository(world, repo),
    sender: simpleUser(world, sender),
    ...installationRef(world, repo),
  };
}

/** A `pull_request_review` `submitted` event. */
export function reviewPayload(
  world: World,
  repo: Repo,
  pull: Pull,
  review: Review,
  details: PullDetails,
) {
  const {
    merged: _merged,
    mergeable: _mergeable,
    ...pullFields
  } = pullRequest(world, repo, pull, details);
  return {
    action: "submitted",
    // Webhooks write a review's state in lower case (`approved`), the REST API in upper case.
    review: {
      ...pullRequestReview(world, repo, pull, review),
      state: review.state.toLowerCase(),
      submitted_at: review.submittedAt,
    },
    pull_request: pullFields,
    repository: webhookRepository(world, repo),
    sender: simpleUser(world, review.user),
    ...installationRef(world, repo),
  };
}

/** A commit as a push event lists it. */
export interface PushedCommit {
  info: CommitInfo;
  added: string[];
  removed: string[];
  modified: string[];
}

const ZERO_SHA = "0".repeat(40);

/** A `push` event for one ref. */
export function pushPayload(
  world: World,
  repo: Repo,
  push: {
    ref: string;
    before: string;
    after: string;
    forced: boolean;
    commits: PushedCommit[];
    pusher: Account;
  },
) {
  const html = repoHtmlUrl(world, repo);
  const accountByEmail = (email: string) =>
    [...world.accounts.values()].find(
      (account) => account.email?.toLowerCase() === email.toLowerCase(),
    );
  const person = ({ name, email }: { name: string; email: string }) => {
    const account = accountByEmail(email);
    return { name, email, ...(account ? { username: account.login } : {}) };
  };
  const commit = ({ info, added, removed, modified }: PushedCommit) => ({
    id: info.sha,
    tree_id: info.tree,
    distinct: true,
    message: info.message,
    timestamp: info.committer.date,
    url: `${html}/commit/${info.sha}`,
    author: person(info.author),
    committer: person(info.committer),
    added,
    removed,
    modified,
  });
  const commits = push.commits.slice(-20).map(commit);
  const created = push.before === ZERO_SHA;
  const deleted = push.after === ZERO_SHA;
  const base = repository(world, repo);
  const { pusher } = push;
  return {
    ref: push.ref,
    before: push.before,
    after: push.after,
    repository: {
      ...base,
      // A push event's owner carries the git identity too.
      owner: { ...base.owner, name: repo.owner.name ?? repo.owner.login, email: repo.owner.email },
      created_at: Math.floor(Date.parse(repo.createdAt) / 1000),
      pushed_at: Math.floor(Date.parse(repo.pushedAt) / 1000),
      master_branch: repo.defaultBranch,
      stargazers: 0,
      custom_properties: {},
    },
    // A bot's noreply address (`…+slug[bot]@…`) is no valid email address, so bots push without one.
    pusher: { name: pusher.login, email: pusher.type === "Bot" ? null : pusher.email },
    sender: simpleUser(world, pusher),
    ...installationRef(world, repo),
    created,
    deleted,
    forced: push.forced,
    base_ref: null,
    compare: created
      ? `${html}/commit/${push.after.slice(0, 12)}`
      : `${html}/compare/${push.before.slice(0, 12)}...${push.after.slice(0, 12)}`,
    commits,
    head_commit: deleted ? null : (commits.at(-1) ?? null),
  };
}

/** An `installation` event (`created`, `deleted`). */
export function installationPayload(
  world: World,
  found: Installation,
  action: "created" | "deleted",
  sender: Account,
  repos: Repo[],
) {
  return {
    action,
    installation: installationObject(world, found),
    repositories: repos.map((repo) => ({
      id: repo.id,
      node_id: repo.nodeId,
      name: repo.name,
      full_name: `${repo.owner.login}/${repo.name}`,
      private: repo.private,
    })),
    requester: null,
    sender: simpleUser(world, sender),
  };
}

/** An `installation_repositories` event (`added`, `removed`). */
export function installationRepositoriesPayload(
  world: World,
  found: Installation,
  action: "added" | "removed",
  repos: Repo[],
  sender: Account,
) {
  const listed = repos.map((repo) => ({
    id: repo.id,
    node_id: repo.nodeId,
    name: repo.name,
    full_name: `${repo.owner.login}/${repo.name}`,
    private: repo.private,
  }));
  return {
    action,
    installation: installationObject(world, found),
    repository_selection: found.selection,
    repositories_added: action === "added" ? listed : [],
    repositories_removed: action === "removed" ? listed : [],
    requester: null,
    sender: simpleUser(world, sender),
  };
}
