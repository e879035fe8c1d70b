// The App's side through @octokit/auth-app: a JWT signed with the PKCS#8 key, installation tokens
// (narrowed or not), and what each kind of credential may do.
import { generateKeyPairSync } from "node:crypto";
import { createAppAuth } from "@octokit/auth-app";
import { Octokit } from "@octokit/rest";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { startGitHubStandIn, type GitHubStandIn } from "./server.ts";
import { appClient, tokenClient, userClient } from "./testing/octokit.ts";

let standIn: GitHubStandIn;
let installationId: number;
const repo = { owner: "demo", repo: "stats" };

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
      { owner: "demo", name: "notes", demo: true },
    ],
  });
  installationId = standIn.summary().installations[0]!.id;
});
afterEach(() => {
  expect(standIn.violations()).toEqual([]);
});
afterAll(() => standIn.stop());

describe("the App's JWT", () => {
  it("authenticates GET /app and lists the installations", async () => {
    expect(standIn.app.privateKeyPkcs8).toMatch(/^-----BEGIN PRIVATE KEY-----\n/);
    const app = appClient(standIn);
    const { data } = await app.apps.getAuthenticated();
    expect(data).toMatchObject({
      id: standIn.app.id,
      slug: "tandem-stand-in",
      client_id: standIn.app.clientId,
    });
    const installations = await app.apps.listInstallations();
    expect(installations.data.map((found) => [found.id, found.account?.login])).toEqual([
      [installationId, "demo"],
    ]);
    const found = await app.apps.getRepoInstallation(repo);
    expect(found.data.id).toBe(installationId);
    expect(standIn.requests({ operation: "apps/get-authenticated" })).toMatchObject([
      { identity: { kind: "app", appId: standIn.app.id }, tokenKind: "app-jwt", status: 200 },
    ]);
  });

  it("refuses a JWT signed with another key", async () => {
    const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
    const forged = new Octokit({
      baseUrl: standIn.url,
      authStrategy: createAppAuth,
      auth: {
        appId: standIn.app.id,
        privateKey: privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
      },
      request: { retries: 0 },
      log: { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} },
    });
    await expect(forged.apps.getAuthenticated()).rejects.toMatchObject({ status: 401 });
  });

  it("is refused by user endpoints, and a user token is refused by App endpoints", async () => {
    await expect(userClient(standIn, "alice").apps.getAuthenticated()).rejects.toMatchObject({
      status: 401,
    });
    const { token: jwt } = await createAppAuth({
      appId: standIn.app.id,
      privateKey: standIn.app.privateKeyPkcs8,
    })({ type: "app" });
    await expect(tokenClient(standIn, jwt).repos.get(repo)).rejects.toMatchObject({ status: 403 });
  });
});

describe("installation tokens", () => {
  it("reach the installation's repositories and act as the App's bot", async () => {
    const installation = appClient(standIn, installationId);
    const { data } = await installation.apps.listReposAccessibleToInstallation();
    expect(data.repositories.map((found) => found.full_name).sort()).toEqual([
      "demo/notes",
      "demo/stats",
    ]);
    expect((await installation.repos.get(repo)).data).not.toHaveProperty("permissions");
    await expect(installation.users.getAuthenticated()).rejects.toMatchObject({ status: 403 });
    const [listed] = standIn.requests({ operation: "apps/list-repos-accessible-to-installation" });
    expect(listed).toMatchObject({
      identity: { kind: "installation", installationId },
      tokenKind: "installation",
    });
  });

  it("are issued with an expiry and can be narrowed to repositories and permissions", async () => {
    const app = appClient(standIn);
    const { data } = await app.apps.createInstallationAccessToken({
      installation_id: installationId,
      repositories: ["stats"],
      permissions: { contents: "read", metadata: "read" },
    });
    expect(data.token).toMatch(/^ghs_[A-Za-z0-9]{36}$/);
    expect(Date.parse(data.expires_at) - Date.now()).toBeGreaterThan(59 * 60 * 1000);
    expect(data).toMatchObject({
      repository_selection: "selected",
      permissions: { contents: "read", metadata: "read" },
    });
    const narrow = tokenClient(standIn, data.token);
    expect(
      (await narrow.apps.listReposAccessibleToInstallation()).data.repositories.map(
        (found) => found.name,
      ),
    ).toEqual(["stats"]);
    await expect(narrow.repos.get({ owner: "demo", repo: "notes" })).rejects.toMatchObject({
      status: 404,
    });
    await expect(narrow.pulls.list(repo)).rejects.toMatchObject({
      status: 403,
      response: { data: { message: "Resource not accessible by integration" } },
    });
  });

  it("refuses to narrow to a repository or permission the installation lacks", async () => {
    const app = appClient(standIn);
    await expect(
      app.apps.createInstallationAccessToken({
        installation_id: installationId,
        repositories: ["elsewhere"],
      }),
    ).rejects.toMatchObject({ status: 422 });
    await expect(
      app.apps.createInstallationAccessToken({
        installation_id: installationId,
        permissions: { administration: "write" },
      }),
    ).rejects.toMatchObject({ status: 422 });
    await expect(
      app.apps.createInstallationAccessToken({ installation_id: 1 }),
    ).rejects.toMatchObject({ status: 404 });
  });

  it("expire after an hour, and the App's JWT is checked against the same clock", async () => {
    const { data } = await appClient(standIn).apps.createInstallationAccessToken({
      installation_id: installationId,
    });
    expect(
      (await tokenClient(standIn, data.token).apps.listReposAccessibleToInstallation()).status,
    ).toBe(200);
    standIn.advanceClock(61 * 60);
    await expect(
      tokenClient(standIn, data.token).apps.listReposAccessibleToInstallation(),
    ).rejects.toMatchObject({
      status: 401,
      response: { data: { message: "Bad credentials" } },
    });
    // A JWT made on the real clock now looks an hour old to the stand-in.
    await expect(appClient(standIn).apps.getAuthenticated()).rejects.toMatchObject({ status: 401 });
  });
});
