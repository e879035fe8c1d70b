// Webhooks as an App receives them: signed, with GitHub's headers, shaped like GitHub's example
// payloads, for pull requests, reviews, merges, pushes and installation changes; redelivery keeps
// the delivery id.
import { createRequire } from "node:module";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startGitHubStandIn, type GitHubStandIn } from "./server.ts";
import { createGitClient, type GitClient } from "./testing/git-client.ts";
import { userClient } from "./testing/octokit.ts";
import {
  startWebhookReceiver,
  type Received,
  type WebhookReceiver,
} from "./testing/webhook-receiver.ts";

let standIn: GitHubStandIn;
let receiver: WebhookReceiver;
let git: GitClient;
const repo = { owner: "demo", repo: "stats" };

/** GitHub's example payloads, by event name. */
const EXAMPLES = createRequire(import.meta.url)("@octokit/webhooks-examples") as {
  name: string;
  examples: Record<string, unknown>[];
}[];

beforeAll(async () => {
  standIn = await startGitHubStandIn({
    users: [{ login: "demo" }, { login: "alice" }],
    repos: [
      {
        owner: "demo",
        name: "stats",
        demo: true,
        collaborators: [{ login: "alice", permission: "push" }],
      },
    ],
  });
  receiver = await startWebhookReceiver(standIn.app.webhookSecret);
  standIn.setWebhookUrl(receiver.url);
  git = await createGitClient();
  const url = standIn
    .gitUrl("demo", "stats")
    .replace("http://", `http://x-access-token:${standIn.issueUserToken("alice").accessToken}@`);
  await git.ok("clone", "--quiet", url, ".");
  await git.ok("checkout", "--quiet", "-b", "feature/mode");
  await git.write("mode.txt", "mode\n");
  await git.ok("add", "--all");
  await git.ok("commit", "--quiet", "-m", "Add mode");
  await git.ok("push", "--quiet", "origin", "feature/mode");
});
beforeEach(async () => {
  await standIn.webhooksSettled();
  receiver.received.length = 0;
});
afterEach(() => {
  expect(standIn.violations()).toEqual([]);
});
afterAll(async () => {
  await git.remove();
  await receiver.close();
  await standIn.stop();
});

async function settled(): Promise<Received[]> {
  await standIn.webhooksSettled();
  expect(receiver.received.every((entry) => entry.signatureValid)).toBe(true);
  return receiver.received;
}

/** Every top-level field of GitHub's example for the event and action is in the payload. */
function expectExampleFields(
  event: string,
  action: string | undefined,
  payload: Record<string, unknown>,
) {
  const example = EXAMPLES.find((definition) => definition.name === event)?.examples.find(
    (candidate) => candidate.action === action,
  );
  expect(example, `an example of ${event} ${action}`).toBeDefined();
  const optional = new Set(["organization", "enterprise"]);
  const missing = Object.keys(example!).filter((key) => !optional.has(key) && !(key in payload));
  expect(missing).toEqual([]);
}

describe("pull request webhooks", () => {
  it("sends pull_request opened with GitHub's headers and a valid signature", async () => {
    await userClient(standIn, "alice").pulls.create({
      ...repo,
      head: "feature/mode",
      base: "main",
      title: "Add mode",
    });
    const [opened] = await settled();
    expect(opened).toMatchObject({
      event: "pull_request",
      guid: expect.stringMatching(/^[0-9a-f-]{36}$/),
      payload: {
        action: "opened",
        number: 1,
        pull_request: { state: "open", user: { login: "alice" }, head: { ref: "feature/mode" } },
        repository: { full_name: "demo/stats" },
        sender: { login: "alice" },
        installation: { id: standIn.summary().installations[0]!.id },
      },
    });
    expect(opened!.headers).toMatchObject({
      "content-type": "application/json",
      "x-github-hook-installation-target-type": "integration",
      "x-github-hook-installation-target-id": String(standIn.app.id),
      "x-hub-signature": expect.stringMatching(/^sha1=[0-9a-f]{40}$/),
    });
    expectExampleFields("pull_request", "opened", opened!.payload);
    expect(standIn.deliveries().at(-1)).toMatchObject({
      guid: opened!.guid,
      status: 200,
      state: "delivered",
    });
  });

  it("sends pull_request synchronize when the head branch moves", async () => {
    await git.write("mode.txt", "mode, twice\n");
    await git.ok("commit", "--quiet", "-am", "Improve mode");
    await git.ok("push", "--quiet", "origin", "feature/mode");
    const received = await settled();
    expect(received.map((entry) => `${entry.event} ${entry.payload.action ?? ""}`.trim())).toEqual([
      "push",
      "pull_request synchronize",
    ]);
    const sync = received[1]!.payload;
    expect(sync).toMatchObject({
      before: expect.any(String),
      after: (await git.ok("rev-parse", "HEAD")).trim(),
    });
    expectExampleFields("pull_request", "synchronize", sync);
    expectExampleFields("push", undefined, received[0]!.payload);
  });

  it("sends pull_request_review submitted", async () => {
    await userClient(standIn, "demo").pulls.createReview({
      ...repo,
      pull_number: 1,
      event: "APPROVE",
      body: "Good.",
    });
    const [review] = await settled();
    expect(review).toMatchObject({
      event: "pull_request_review",
      payload: {
        action: "submitted",
        review: { state: "approved", user: { login: "demo" } },
        pull_request: { number: 1 },
      },
    });
    expectExampleFields("pull_request_review", "submitted", review!.payload);
  });

  it("sends pull_request closed with merged: true on a merge, and the base branch's push", async () => {
    const { data } = await userClient(standIn, "demo").pulls.merge({
      ...repo,
      pull_number: 1,
      merge_method: "squash",
    });
    const received = await settled();
    expect(received.map((entry) => entry.event)).toEqual(["pull_request", "push"]);
    expect(received[0]!.payload).toMatchObject({
      action: "closed",
      pull_request: { merged: true, merge_commit_sha: data.sha, merged_by: { login: "demo" } },
      sender: { login: "demo" },
    });
    expectExampleFields("pull_request", "closed", received[0]!.payload);
    expect(received[1]!.payload).toMatchObject({
      ref: "refs/heads/main",
      after: data.sha,
      repository: { default_branch: "main" },
    });
  });

  it("sends closed without merging, and reopened", async () => {
    const client = userClient(standIn, "alice");
    await git.ok("checkout", "--quiet", "-b", "feature/range", "origin/main");
    await git.ok("commit", "--quiet", "--allow-empty", "-m", "Range");
    await git.ok("push", "--quiet", "origin", "feature/range");
    const { data } = await client.pulls.create({
      ...repo,
      head: "feature/range",
      base: "main",
      title: "Range",
    });
    await client.pulls.update({ ...repo, pull_number: data.number, state: "closed" });
    await client.pulls.update({ ...repo, pull_number: data.number, state: "open" });
    const actions = (await settled())
      .filter((entry) => entry.event === "pull_request")
      .map((entry) => entry.payload);
    expect(actions.map((payload) => payload.action)).toEqual(["opened", "closed", "reopened"]);
    expect(actions[1]).toMatchObject({ pull_request: { merged: false } });
    expectExampleFields("pull_request", "reopened", actions[2]!);
  });
});

describe("deliveries", () => {
  it("redelivers with the same delivery id", async () => {
    await userClient(standIn, "alice").pulls.update({
      ...repo,
      pull_number: 2,
      title: "Range, renamed",
    });
    const [edited] = await settled();
    expect(edited!.payload).toMatchObject({
      action: "edited",
      changes: { title: { from: "Range" } },
    });
    const again = standIn.redeliver(edited!.guid);
    expect(again).toMatchObject({ guid: edited!.guid, redelivery: true });
    const received = await settled();
    expect(received.map((entry) => entry.guid)).toEqual([edited!.guid, edited!.guid]);
    expect(received[1]!.payload).toEqual(edited!.payload);
  });

  it("records the receiver's failure status", async () => {
    receiver.answerWith(500);
    try {
      await userClient(standIn, "alice").pulls.update({
        ...repo,
        pull_number: 2,
        title: "Range again",
      });
      await settled();
      expect(standIn.deliveries().at(-1)).toMatchObject({
        status: 500,
        state: "failed",
        error: expect.stringContaining("500"),
      });
    } finally {
      receiver.answerWith(200);
    }
  });

  it("records deliveries without sending them while no URL is set", async () => {
    standIn.setWebhookUrl(null);
    try {
      await userClient(standIn, "alice").pulls.update({
        ...repo,
        pull_number: 2,
        title: "Range, quietly",
      });
      await standIn.webhooksSettled();
      expect(receiver.received).toEqual([]);
      expect(standIn.deliveries().at(-1)).toMatchObject({
        url: null,
        state: "failed",
        error: "no webhook URL is configured",
      });
    } finally {
      standIn.setWebhookUrl(receiver.url);
    }
  });
});

describe("installation webhooks", () => {
  it("sends installation_repositories when a repository is added and removed", async () => {
    await standIn.addRepo({ owner: "demo", name: "extra", demo: true });
    await standIn.removeRepo("demo", "extra");
    const received = await settled();
    expect(received.map((entry) => [entry.event, entry.payload.action])).toEqual([
      ["installation_repositories", "added"],
      ["installation_repositories", "removed"],
    ]);
    expect(received[0]!.payload).toMatchObject({
      repository_selection: "all",
      repositories_added: [{ full_name: "demo/extra" }],
      installation: { account: { login: "demo" } },
    });
    expectExampleFields("installation_repositories", "added", received[0]!.payload);
  });

  it("sends installation created when the App is installed on another account", async () => {
    standIn.addUser({ login: "erin" });
    await standIn.addRepo({ owner: "erin", name: "notes" });
    const installation = standIn.addInstallation({ account: "erin", repositories: ["notes"] });
    expect(installation).toMatchObject({
      account: "erin",
      repositorySelection: "selected",
      repositories: ["notes"],
    });
    const [created] = await settled();
    expect(created).toMatchObject({
      event: "installation",
      payload: {
        action: "created",
        installation: { id: installation.id },
        repositories: [{ full_name: "erin/notes" }],
      },
    });
    expectExampleFields("installation", "created", created!.payload);
  });
});
