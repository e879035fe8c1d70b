// Git over smart HTTP with the real git client: credentials required for fetch and push, GitHub's
// permission answers, and the `push` webhook after a push.
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { startGitHubStandIn, type GitHubStandIn } from "./server.ts";
import { basicHeader, createGitClient, type GitClient } from "./testing/git-client.ts";
import { appClient } from "./testing/octokit.ts";
import { startWebhookReceiver, type WebhookReceiver } from "./testing/webhook-receiver.ts";

let standIn: GitHubStandIn;
let receiver: WebhookReceiver;
let installationToken: string;
const clients: GitClient[] = [];

beforeAll(async () => {
  standIn = await startGitHubStandIn({
    users: [{ login: "demo" }, { login: "alice" }, { login: "bob" }, { login: "carol" }],
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
    ],
  });
  receiver = await startWebhookReceiver(standIn.app.webhookSecret);
  standIn.setWebhookUrl(receiver.url);
  const installationId = standIn.summary().installations[0]!.id;
  const { data } = await appClient(standIn).apps.createInstallationAccessToken({
    installation_id: installationId,
  });
  installationToken = data.token;
});
afterEach(() => {
  expect(standIn.violations()).toEqual([]);
});
afterAll(async () => {
  await Promise.all(clients.map((client) => client.remove()));
  await receiver.close();
  await standIn.stop();
});

async function client(): Promise<GitClient> {
  const made = await createGitClient();
  clients.push(made);
  return made;
}

/** Clones demo/stats into a fresh client with `token` sent as an extra header. */
async function cloneWith(token: string): Promise<GitClient> {
  const git = await client();
  await git.ok(
    "-c",
    `http.extraHeader=${basicHeader(token)}`,
    "clone",
    "--quiet",
    standIn.gitUrl("demo", "stats"),
    ".",
  );
  await git.ok("config", "http.extraHeader", basicHeader(token));
  return git;
}

describe("credentials", () => {
  it("answers a request without credentials with 401 and a Basic challenge", async () => {
    const response = await fetch(
      `${standIn.gitUrl("demo", "stats")}/info/refs?service=git-upload-pack`,
    );
    expect(response.status).toBe(401);
    expect(response.headers.get("www-authenticate")).toBe('Basic realm="GitHub"');
    const git = await client();
    const cloned = await git.run("clone", "--quiet", standIn.gitUrl("demo", "stats"), ".");
    expect(cloned.code).not.toBe(0);
  });

  it("refuses an unknown token with 401", async () => {
    const git = await client();
    const cloned = await git.run(
      "-c",
      `http.extraHeader=${basicHeader("ghs_unknown")}`,
      "clone",
      "--quiet",
      standIn.gitUrl("demo", "stats"),
      ".",
    );
    expect(cloned.code).not.toBe(0);
    expect(standIn.requests({ operation: "git/upload-pack/refs" }).at(-1)).toMatchObject({
      status: 401,
      tokenKind: "invalid",
    });
  });

  it("clones with an installation token, recording the installation", async () => {
    const git = await cloneWith(installationToken);
    expect(await git.ok("log", "--format=%s")).toBe("Demo repository: stats module with tests\n");
    expect(standIn.requests({ operation: "git/upload-pack" }).at(-1)).toMatchObject({
      identity: { kind: "installation" },
      tokenKind: "installation",
      status: 200,
    });
  });

  it("clones with a credential in the URL, after git meets the 401 challenge", async () => {
    const git = await client();
    const url = standIn
      .gitUrl("demo", "stats")
      .replace("http://", `http://x-access-token:${standIn.issueUserToken("bob").accessToken}@`);
    await git.ok("clone", "--quiet", url, ".");
    expect(await git.ok("rev-parse", "--abbrev-ref", "HEAD")).toBe("main\n");
  });

  it("answers 404 for a repository the user cannot see", async () => {
    const git = await client();
    const url = standIn
      .gitUrl("demo", "stats")
      .replace("http://", `http://x-access-token:${standIn.issueUserToken("carol").accessToken}@`);
    const cloned = await git.run("clone", "--quiet", url, ".");
    expect(cloned.stderr).toMatch(/not found/i);
  });
});

describe("pushes", () => {
  it("refuses a push without push permission with 403", async () => {
    const git = await cloneWith(standIn.issueUserToken("bob").accessToken);
    await git.write("bob.txt", "bob was here\n");
    await git.ok("add", "--all");
    await git.ok("commit", "--quiet", "-m", "Bob's change");
    const pushed = await git.run("push", "--quiet", "origin", "HEAD:refs/heads/bob");
    expect(pushed.code).not.toBe(0);
    expect(pushed.stderr).toContain("403");
    expect(standIn.requests({ operation: "git/receive-pack/refs" }).at(-1)).toMatchObject({
      identity: { kind: "user", login: "bob" },
      status: 403,
    });
  });

  it("refuses a push with an installation token narrowed to contents: read", async () => {
    const installationId = standIn.summary().installations[0]!.id;
    const { data } = await appClient(standIn).apps.createInstallationAccessToken({
      installation_id: installationId,
      permissions: { contents: "read" },
    });
    const git = await cloneWith(data.token);
    await git.ok("commit", "--quiet", "--allow-empty", "-m", "Nothing");
    expect((await git.run("push", "--quiet", "origin", "HEAD:refs/heads/read-only")).code).not.toBe(
      0,
    );
  });

  it("pushes a new branch with an installation token and sends a signed push webhook", async () => {
    const git = await cloneWith(installationToken);
    const before = (await git.ok("rev-parse", "HEAD")).trim();
    await git.ok("checkout", "--quiet", "-b", "tandem/ses_1");
    await git.write("median.txt", "median\n");
    await git.ok("add", "--all");
    await git.ok("commit", "--quiet", "-m", "Add median");
    await git.ok("push", "--quiet", "origin", "tandem/ses_1");
    const after = (await git.ok("rev-parse", "HEAD")).trim();
    await standIn.webhooksSettled();
    const push = receiver.received.find(
      (entry) => entry.event === "push" && entry.payload.ref === "refs/heads/tandem/ses_1",
    );
    expect(push?.signatureValid).toBe(true);
    expect(push?.payload).toMatchObject({
      ref: "refs/heads/tandem/ses_1",
      before: "0".repeat(40),
      after,
      created: true,
      deleted: false,
      forced: false,
      repository: { full_name: "demo/stats", default_branch: "main" },
      installation: { id: standIn.summary().installations[0]!.id },
      sender: { login: "tandem-stand-in[bot]", type: "Bot" },
      commits: [
        {
          id: after,
          message: "Add median",
          added: ["median.txt"],
          author: { email: "alice@tandem.invalid", username: "alice" },
        },
      ],
    });
    expect(before).not.toBe(after);
  });

  it("sends a push webhook for an update with before and after, naming the user who pushed", async () => {
    const git = await cloneWith(standIn.issueUserToken("alice").accessToken);
    const before = (await git.ok("rev-parse", "HEAD")).trim();
    await git.write("README.md", "Changed by Alice\n");
    await git.ok("commit", "--quiet", "-am", "Rewrite the readme");
    await git.ok("push", "--quiet", "origin", "main");
    await standIn.webhooksSettled();
    const push = receiver.received.findLast((entry) => entry.event === "push");
    expect(push?.payload).toMatchObject({
      ref: "refs/heads/main",
      before,
      after: (await git.ok("rev-parse", "HEAD")).trim(),
      created: false,
      pusher: { name: "alice" },
      sender: { login: "alice" },
      head_commit: { message: "Rewrite the readme", modified: ["README.md"] },
    });
  });
});

describe("injected faults", () => {
  it("fails pushes with the injected status while the fault lasts, then takes the push", async () => {
    const git = await cloneWith(installationToken);
    await git.ok("checkout", "--quiet", "-b", "tandem/faulty");
    await git.ok("commit", "--quiet", "--allow-empty", "-m", "Survive a bad gateway");
    standIn.injectFault({ operation: "git/receive-pack", status: 502, times: 2 });
    for (let attempt = 0; attempt < 2; attempt++) {
      const failed = await git.run("push", "--quiet", "origin", "tandem/faulty");
      expect(failed.code).not.toBe(0);
      expect(failed.stderr).toContain("502");
    }
    expect((await git.ok("ls-remote", "origin", "refs/heads/tandem/faulty")).trim()).toBe("");
    await git.ok("push", "--quiet", "origin", "tandem/faulty");
    expect((await git.ok("ls-remote", "origin", "refs/heads/tandem/faulty")).split("\t")[0]).toBe(
      (await git.ok("rev-parse", "HEAD")).trim(),
    );
    const pushes = standIn.requests({ operation: "git/receive-pack" });
    expect(pushes.slice(-3).map((entry) => entry.status)).toEqual([502, 502, 200]);
  });

  it("fails the ref advertisement of a push, and a clone, by their own operation names", async () => {
    const git = await cloneWith(installationToken);
    await git.ok("commit", "--quiet", "--allow-empty", "-m", "Nothing much");
    standIn.injectFault({ operation: "git/receive-pack/refs", status: 503, times: 1 });
    const refused = await git.run("push", "--quiet", "origin", "HEAD:refs/heads/advertised");
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain("503");
    await git.ok("push", "--quiet", "origin", "HEAD:refs/heads/advertised");

    standIn.injectFault({ operation: "git/upload-pack", status: 502, times: 1 });
    const other = await client();
    const url = standIn.gitUrl("demo", "stats");
    const header = `http.extraHeader=${basicHeader(installationToken)}`;
    const cloned = await other.run("-c", header, "clone", "--quiet", url, ".");
    expect(cloned.code).not.toBe(0);
    expect(cloned.stderr).toContain("502");
    const again = await client();
    await again.ok("-c", header, "clone", "--quiet", url, ".");
  });

  it("fails only the repository a fault names", async () => {
    const git = await cloneWith(installationToken);
    await git.ok("commit", "--quiet", "--allow-empty", "-m", "Elsewhere");
    standIn.injectFault({
      operation: "git/receive-pack",
      status: 503,
      times: 1,
      repo: "demo/elsewhere",
    });
    await git.ok("push", "--quiet", "origin", "HEAD:refs/heads/scoped");
    standIn.injectFault({
      operation: "git/receive-pack",
      status: 503,
      times: 1,
      repo: "demo/stats",
    });
    await git.ok("commit", "--quiet", "--allow-empty", "-m", "Here");
    expect((await git.run("push", "--quiet", "origin", "HEAD:refs/heads/scoped")).code).not.toBe(0);
    await git.ok("push", "--quiet", "origin", "HEAD:refs/heads/scoped");
  });

  it("refuses a fault on an operation it does not serve, naming the git operations", () => {
    expect(() => standIn.injectFault({ operation: "git/push", status: 502, times: 1 })).toThrow(
      "git/receive-pack, git/receive-pack/refs, git/upload-pack, git/upload-pack/refs",
    );
  });
});
