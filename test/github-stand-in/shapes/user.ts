// Accounts as GitHub's REST API and webhooks write them.
import type { Account, World } from "../state/world.ts";

/** The `simple-user` object: what every `user`, `owner` and `sender` field holds. */
export function simpleUser(world: World, account: Account) {
  const api = `${world.baseUrl}/users/${encodeURIComponent(account.login)}`;
  return {
    login: account.login,
    id: account.id,
    node_id: account.nodeId,
    avatar_url: `${world.baseUrl}/avatars/u/${account.id}?v=4`,
    gravatar_id: "",
    url: api,
    html_url:
      account.type === "Bot"
        ? `${world.baseUrl}/apps/${encodeURIComponent(world.app.slug)}`
        : `${world.baseUrl}/${encodeURIComponent(account.login)}`,
    followers_url: `${api}/followers`,
    following_url: `${api}/following{/other_user}`,
    gists_url: `${api}/gists{/gist_id}`,
    starred_url: `${api}/starred{/owner}{/repo}`,
    subscriptions_url: `${api}/subscriptions`,
    organizations_url: `${api}/orgs`,
    repos_url: `${api}/repos`,
    events_url: `${api}/events{/privacy}`,
    received_events_url: `${api}/received_events`,
    type: account.type,
    user_view_type: "public",
    site_admin: false,
  };
}

/** `GET /user` for the user themself: the `private-user` object. */
export function privateUser(
  world: World,
  account: Account,
  repoCounts: { public: number; private: number },
) {
  return {
    ...simpleUser(world, account),
    user_view_type: "private",
    name: account.name,
    company: null,
    blog: "",
    location: null,
    email: account.email,
    hireable: null,
    bio: null,
    twitter_username: null,
    notification_email: account.email,
    public_repos: repoCounts.public,
    public_gists: 0,
    followers: 0,
    following: 0,
    created_at: account.createdAt,
    updated_at: account.createdAt,
    private_gists: 0,
    total_private_repos: repoCounts.private,
    owned_private_repos: repoCounts.private,
    disk_usage: 0,
    collaborators: 0,
    two_factor_authentication: true,
  };
}

/** The commit author a user's name and email make (the `noreply` address when no email is public). */
export function commitIdentity(account: Account): { name: string; email: string } {
  return {
    name: account.name ?? account.login,
    email: account.email ?? `${account.id}+${account.login}@users.noreply.github.com`,
  };
}
