// The REST API through @octokit/rest with user tokens: who sees what, pull requests and reviews,
// GitHub's error shapes, and every answer checked against GitHub's description.
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { startGitHubStandIn, type GitHubStandIn } from "./server.ts";
import { createGitClient, type GitClient } from "./testing/git-client.ts";
import { tokenClient, userClient } from "./testing/octokit.ts";

let standIn: GitHubStandIn;
let git: GitClient;
const as = (login: string) => userClient(standIn, login);
const repo = { owner: "demo", repo: "stats" };

beforeAll(async () => {
  standIn = await startGitHubStandIn({
    users: [
      { login: "demo" },
      { login: "alice", name: "Alice" },
      { login: "bob" },
      { login: "carol" },
    ],
    repos: [
      {
        owner: "demo",
        name: "stats",
        demo: true,
        collaborators: [
          { login: "alice", permission: "push" },
          { login: "bob", permission: "pull" },
        ],
      },
      { owner: "carol", name: "diary", demo: true },
    ],
  });
  // A branch with one commit for the pull requests, pushed by the demo user.
  git = await createGitClient();
  const url = standIn
    .gitUrl("demo", "stats")
    .replace("http://", `http://x-access-token:${standIn.issueUserToken("demo").accessToken}@`);
  await git.ok("clone", "--quiet", url, ".");
  for (const branch of ["feature/median", "feature/other"]) {
    await git.ok("checkout", "--quiet", "-B", branch, "origin/main");
    await git.write(`${branch.replace("/", "-")}.txt`, `${branch}\n`);
    await git.ok("add", "--all");
    await git.ok("commit", "--quiet", "-m", `Work on ${branch}`);
    await git.ok("push", "--quiet", "origin", branch);
  }
});
afterEach(() => {
  expect(standIn.violations()).toEqual([]);
});
afterAll(async () => {
  await git.remove();
  await standIn.stop();
});

describe("users and repositories", () => {
  it("answers GET /user with the token's user", async () => {
    const { data } = await as("alice").users.getAuthenticated();
    expect(data).toMatchObject({
      login: "alice",
      name: "Alice",
      email: "alice@tandem.invalid",
      type: "User",
    });
    const emails = await as("alice").users.listEmailsForAuthenticatedUser();
    expect(emails.data).toEqual([
      { email: "alice@tandem.invalid", primary: true, verified: true, visibility: "private" },
    ]);
  });

  it("shows a collaborator the repository with their permissions", async () => {
    const { data } = await as("alice").repos.get(repo);
    expect(data).toMatchObject({ full_name: "demo/stats", private: true, default_branch: "main" });
    expect(data.permissions).toEqual({
      admin: false,
      maintain: false,
      push: true,
      triage: true,
      pull: true,
    });
    expect((await as("bob").repos.get(repo)).data.permissions?.push).toBe(false);
  });

  it("answers 404 for a repository the user is not a collaborator of", async () => {
    await expect(as("carol").repos.get(repo)).rejects.toMatchObject({
      status: 404,
      response: {
        data: {
          message: "Not Found",
          documentation_url: expect.stringContaining("docs.github.com"),
        },
      },
    });
    await expect(as("alice").repos.get({ owner: "carol", repo: "diary" })).rejects.toMatchObject({
      status: 404,
    });
  });

  it("answers 401 Bad credentials for an unknown token", async () => {
    const stranger = tokenClient(standIn, "ghu_notatokenthestandinissued000000000");
    await expect(stranger.users.getAuthenticated()).rejects.toMatchObject({
      status: 401,
      response: { data: { message: "Bad credentials" } },
    });
    const anonymous = tokenClient(standIn);
    await expect(anonymous.users.getAuthenticated()).rejects.toMatchObject({ status: 401 });
  });

  it("lists the installations and repositories a user reaches through the App", async () => {
    const { data } = await as("alice").apps.listInstallationsForAuthenticatedUser();
    const accountOf = (found: { account: unknown }) =>
      (found.account as { login?: string } | null)?.login;
    expect(data.installations.map(accountOf)).toEqual(["demo"]);
    const repos = await as("alice").apps.listInstallationReposForAuthenticatedUser({
      installation_id: data.installations[0]!.id,
    });
    expect(repos.data.repositories.map((found) => found.full_name)).toEqual(["demo/stats"]);
    const carols = await as("carol").apps.listInstallationsForAuthenticatedUser();
    expect(carols.data.installations.map(accountOf)).toEqual(["carol"]);
  });

  it("serves a branch and its ref from the git repository", async () => {
    const branch = await as("alice").repos.getBranch({ ...repo, branch: "feature/median" });
    expect(branch.data).toMatchObject({ name: "feature/median", protected: false });
    expect(branch.data.commit.commit.message).toBe("Work on feature/median");
    const ref = await as("alice").git.getRef({ ...repo, ref: "heads/feature/median" });
    expect(ref.data).toMatchObject({
      ref: "refs/heads/feature/median",
      object: { type: "commit", sha: branch.data.commit.sha },
    });
    await expect(as("alice").repos.getBranch({ ...repo, branch: "nope" })).rejects.toMatchObject({
      status: 404,
    });
  });
});

describe("pull requests", () => {
  it("records a pull request opened with alice's user token as alice's", async () => {
    const { data } = await as("alice").pulls.create({
      ...repo,
      head: "feature/median",
      base: "main",
      title: "Add median",
      body: "Adds median.",
    });
    expect(data).toMatchObject({
      number: 1,
      state: "open",
      user: { login: "alice" },
      head: { ref: "feature/median" },
      base: { ref: "main" },
    });
    expect(data).toMatchObject({ commits: 1, additions: 1, changed_files: 1, mergeable: true });
    const [created] = standIn.requests({ operation: "pulls/create" });
    expect(created).toMatchObject({
      identity: { kind: "user", login: "alice" },
      tokenKind: "user-to-server",
      status: 201,
      body: { head: "feature/median", base: "main", title: "Add median", body: "Adds median." },
    });
  });

  it("refuses to open a pull request without push access", async () => {
    await expect(
      as("bob").pulls.create({ ...repo, head: "feature/other", base: "main", title: "From bob" }),
    ).rejects.toMatchObject({
      status: 403,
    });
  });

  it("answers 422 Validation Failed for a second pull request on the same branches and for a missing branch", async () => {
    await expect(
      as("alice").pulls.create({ ...repo, head: "feature/median", base: "main", title: "Again" }),
    ).rejects.toMatchObject({
      status: 422,
      response: {
        data: {
          message: "Validation Failed",
          errors: [
            {
              resource: "PullRequest",
              code: "custom",
              message: "A pull request already exists for demo:feature/median.",
            },
          ],
        },
      },
    });
    await expect(
      as("alice").pulls.create({ ...repo, head: "no-such-branch", base: "main", title: "Nothing" }),
    ).rejects.toMatchObject({
      status: 422,
      response: { data: { errors: [{ resource: "PullRequest", field: "head", code: "invalid" }] } },
    });
  });

  it("finds pull requests by head and state", async () => {
    const open = await as("alice").pulls.list({
      ...repo,
      head: "demo:feature/median",
      state: "open",
    });
    expect(open.data.map((pull) => pull.number)).toEqual([1]);
    const none = await as("alice").pulls.list({ ...repo, head: "demo:feature/other" });
    expect(none.data).toEqual([]);
  });

  it("takes reviews, but not the author's approval of their own pull request", async () => {
    await expect(
      as("alice").pulls.createReview({ ...repo, pull_number: 1, event: "APPROVE" }),
    ).rejects.toMatchObject({
      status: 422,
      response: { data: { errors: ["Review Can not approve your own pull request"] } },
    });
    const changes = await as("bob").pulls.createReview({
      ...repo,
      pull_number: 1,
      event: "REQUEST_CHANGES",
      body: "Add a test.",
    });
    expect(changes.data).toMatchObject({ state: "CHANGES_REQUESTED", user: { login: "bob" } });
    await as("demo").pulls.createReview({ ...repo, pull_number: 1, event: "APPROVE" });
    const reviews = await as("alice").pulls.listReviews({ ...repo, pull_number: 1 });
    expect(reviews.data.map((review) => [review.user?.login, review.state])).toEqual([
      ["bob", "CHANGES_REQUESTED"],
      ["demo", "APPROVED"],
    ]);
  });

  it("edits, closes and reopens a pull request", async () => {
    const client = as("alice");
    expect(
      (await client.pulls.update({ ...repo, pull_number: 1, title: "Add median()" })).data.title,
    ).toBe("Add median()");
    expect(
      (await client.pulls.update({ ...repo, pull_number: 1, state: "closed" })).data,
    ).toMatchObject({ state: "closed", merged: false });
    expect((await client.pulls.update({ ...repo, pull_number: 1, state: "open" })).data.state).toBe(
      "open",
    );
  });

  it("merges with a merge commit on the base branch", async () => {
    const { data } = await as("demo").pulls.merge({ ...repo, pull_number: 1 });
    expect(data).toMatchObject({ merged: true, message: "Pull Request successfully merged" });
    const pull = await as("alice").pulls.get({ ...repo, pull_number: 1 });
    expect(pull.data).toMatchObject({
      state: "closed",
      merged: true,
      merge_commit_sha: data.sha,
      merged_by: { login: "demo" },
    });
    const main = await as("alice").repos.getBranch({ ...repo, branch: "main" });
    expect(main.data.commit.sha).toBe(data.sha);
    expect(main.data.commit.parents).toHaveLength(2);
    await expect(as("demo").pulls.merge({ ...repo, pull_number: 1 })).rejects.toMatchObject({
      status: 405,
    });
  });

  it("serves the pull request lists in pages with a Link header", async () => {
    const client = as("alice");
    const created = await client.pulls.create({
      ...repo,
      head: "feature/other",
      base: "main",
      title: "Other",
    });
    const first = await client.pulls.list({ ...repo, state: "all", per_page: 1 });
    expect(first.data.map((pull) => pull.number)).toEqual([created.data.number]);
    expect(first.headers.link).toContain('rel="next"');
    const all = await client.paginate(client.pulls.list, { ...repo, state: "all", per_page: 1 });
    expect(all.map((pull) => pull.number)).toEqual([2, 1]);
  });
});

describe("the description check", () => {
  it("turns a request the description refuses into a 500 and a violation", async () => {
    const response = await fetch(`${standIn.url}/repos/demo/stats/pulls`, {
      method: "POST",
      headers: {
        authorization: `token ${standIn.issueUserToken("alice").accessToken}`,
        "content-type": "application/json",
      },
      body: JSON.stringify({ head: "feature/other", base: "main", title: "x", reviewers: ["bob"] }),
    });
    expect(response.status).toBe(500);
    expect(((await response.json()) as { message: string }).message).toContain(
      'request body field "reviewers" is not in the description',
    );
    expect(standIn.violations()).toMatchObject([
      { kind: "request", where: expect.stringContaining("pulls/create") },
    ]);
    standIn.clearViolations();
  });

  it("reports an operation of GitHub's API that the stand-in does not serve", async () => {
    await expect(as("alice").issues.create({ ...repo, title: "An issue" })).rejects.toMatchObject({
      status: 500,
    });
    expect(standIn.violations()).toMatchObject([
      { kind: "unserved", problems: [expect.stringContaining("issues/create")] },
    ]);
    standIn.clearViolations();
    expect((await fetch(`${standIn.url}/not/a/github/path`)).status).toBe(404);
  });
});
