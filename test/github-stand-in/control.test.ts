// The control API over plain HTTP, as a process that only speaks HTTP (the Worker under test, the
// dev server) drives the stand-in.
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { Delivery } from "./webhooks/deliveries.ts";
import type { RecordedRequest } from "./records.ts";
import { startGitHubStandIn, type GitHubStandIn } from "./server.ts";
import type { StandInSummary } from "./summary.ts";
import { tokenClient } from "./testing/octokit.ts";
import { startWebhookReceiver, type WebhookReceiver } from "./testing/webhook-receiver.ts";

let standIn: GitHubStandIn;
let receiver: WebhookReceiver;

beforeAll(async () => {
  standIn = await startGitHubStandIn();
  receiver = await startWebhookReceiver(standIn.app.webhookSecret);
});
afterEach(() => {
  expect(standIn.violations()).toEqual([]);
});
afterAll(async () => {
  await receiver.close();
  await standIn.stop();
});

async function control(
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; json: unknown }> {
  const response = await fetch(`${standIn.url}/_stand-in${path}`, {
    method,
    headers: body === undefined ? {} : { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, json: text ? JSON.parse(text) : null };
}

describe("the control API", () => {
  it("describes the default seed: user demo, the App installed on demo, demo/stats", async () => {
    const { status, json } = await control("GET", "/info");
    expect(status).toBe(200);
    const info = json as StandInSummary;
    expect(info).toMatchObject({
      url: standIn.url,
      defaultLogin: "demo",
      app: {
        id: standIn.app.id,
        clientId: standIn.app.clientId,
        privateKeyPkcs8: expect.stringContaining("BEGIN PRIVATE KEY"),
      },
      users: [{ login: "demo" }],
      repos: [
        {
          fullName: "demo/stats",
          defaultBranch: "main",
          gitUrl: standIn.gitUrl("demo", "stats"),
          collaborators: [{ login: "demo", permission: "admin" }],
        },
      ],
      installations: [{ account: "demo", repositorySelection: "all", repositories: ["stats"] }],
    });
  });

  it("adds users and repositories, refusing bad input with a message naming the field", async () => {
    expect(await control("POST", "/users", { login: "frank", name: "Frank" })).toMatchObject({
      status: 201,
      json: { login: "frank" },
    });
    expect(await control("POST", "/users", { login: "frank" })).toMatchObject({
      status: 400,
      json: { error: { code: "invalid_input" } },
    });
    const added = await control("POST", "/repos", {
      owner: "demo",
      name: "plots",
      demo: true,
      collaborators: [{ login: "frank", permission: "pull" }],
    });
    expect(added).toMatchObject({ status: 201, json: { fullName: "demo/plots", private: true } });
    const refused = await control("POST", "/repos", { owner: "demo", name: "x", colaborators: [] });
    expect(refused.status).toBe(400);
    expect(JSON.stringify(refused.json)).toContain("colaborators");
  });

  it("changes a collaborator's role", async () => {
    const frank = (await control("POST", "/tokens/user", { login: "frank" })).json as {
      access_token: string;
    };
    expect(frank.access_token).toMatch(/^ghu_/);
    const client = tokenClient(standIn, frank.access_token);
    expect((await client.repos.get({ owner: "demo", repo: "plots" })).data.permissions?.push).toBe(
      false,
    );
    expect(
      (await control("PUT", "/repos/demo/plots/collaborators/frank", { permission: "push" }))
        .status,
    ).toBe(204);
    expect((await client.repos.get({ owner: "demo", repo: "plots" })).data.permissions?.push).toBe(
      true,
    );
    expect((await control("DELETE", "/repos/demo/plots/collaborators/frank")).status).toBe(204);
    await expect(client.repos.get({ owner: "demo", repo: "plots" })).rejects.toMatchObject({
      status: 404,
    });
  });

  it("sets the webhook URL, waits for deliveries, and redelivers", async () => {
    expect(await control("PUT", "/webhook", { url: receiver.url })).toMatchObject({
      status: 200,
      json: { url: receiver.url },
    });
    expect((await control("DELETE", "/repos/demo/plots")).status).toBe(204);
    const { json } = await control("GET", "/deliveries?wait=true&event=installation_repositories");
    const [removed] = (json as { deliveries: Delivery[] }).deliveries.filter(
      (entry) => entry.action === "removed",
    );
    expect(removed).toMatchObject({ state: "delivered", status: 200 });
    const again = await control("POST", `/deliveries/${removed!.guid}/redeliver?wait=true`);
    expect(again).toMatchObject({
      status: 202,
      json: { guid: removed!.guid, redelivery: true, state: "delivered" },
    });
    expect(receiver.received.filter((entry) => entry.guid === removed!.guid)).toHaveLength(2);
    expect((await control("POST", "/deliveries/nope/redeliver")).status).toBe(404);
  });

  it("lists recorded requests by operation, and clears them", async () => {
    const { json } = await control("GET", "/requests?operation=repos/get");
    const requests = (json as { requests: RecordedRequest[] }).requests;
    expect(requests.length).toBeGreaterThan(0);
    expect(requests[0]).toMatchObject({
      surface: "rest",
      identity: { kind: "user", login: "frank" },
      tokenKind: "user-to-server",
    });
    expect((await control("DELETE", "/requests")).status).toBe(204);
    expect(standIn.requests()).toEqual([]);
  });

  it("expires user tokens and moves the clock", async () => {
    const pair = (await control("POST", "/tokens/user", { login: "demo" })).json as {
      access_token: string;
    };
    expect((await tokenClient(standIn, pair.access_token).users.getAuthenticated()).status).toBe(
      200,
    );
    expect(await control("POST", "/tokens/expire", { login: "demo" })).toMatchObject({
      status: 200,
      json: { expired: 1 },
    });
    await expect(
      tokenClient(standIn, pair.access_token).users.getAuthenticated(),
    ).rejects.toMatchObject({ status: 401 });
    const later = await control("POST", "/clock", { advanceSeconds: 3600 });
    expect(Date.parse((later.json as { now: string }).now) - Date.now()).toBeGreaterThan(
      3500 * 1000,
    );
  });

  it("injects faults into REST and git operations, refusing names it does not serve", async () => {
    expect(
      await control("POST", "/faults", { operation: "git/receive-pack", status: 502, times: 2 }),
    ).toMatchObject({ status: 200, json: { operation: "git/receive-pack", status: 502, left: 2 } });
    expect(
      await control("POST", "/faults", { operation: "git/receive-pack", status: 502, times: 0 }),
    ).toMatchObject({ status: 200, json: { left: 0 } });
    const git = await control("POST", "/faults", { operation: "git/push", status: 502, times: 1 });
    expect(git).toMatchObject({ status: 400, json: { error: { code: "invalid_input" } } });
    expect(JSON.stringify(git.json)).toContain(
      "git/receive-pack, git/receive-pack/refs, git/upload-pack, git/upload-pack/refs",
    );
    const rest = await control("POST", "/faults", {
      operation: "repos/delete",
      status: 503,
      times: 1,
    });
    expect(rest).toMatchObject({ status: 400, json: { error: { code: "invalid_input" } } });
    expect(JSON.stringify(rest.json)).toContain("pulls/create");

    await control("POST", "/faults", {
      operation: "users/get-authenticated",
      status: 503,
      times: 1,
    });
    const pair = (await control("POST", "/tokens/user", { login: "demo" })).json as {
      access_token: string;
    };
    const client = tokenClient(standIn, pair.access_token);
    await expect(client.users.getAuthenticated()).rejects.toMatchObject({ status: 503 });
    expect((await client.users.getAuthenticated()).status).toBe(200);
  });

  it("reports violations and answers unknown control routes with 404", async () => {
    expect(await control("GET", "/violations")).toMatchObject({
      status: 200,
      json: { violations: [] },
    });
    expect(await control("GET", "/nothing")).toMatchObject({
      status: 404,
      json: { error: { code: "not_found" } },
    });
  });
});
