// Tandem with GitHub configured, against the GitHub stand-in: signing in through OAuth with PKCE,
// tokens sealed at rest, repository access by each person's own GitHub access, verified and
// de-duplicated webhooks, and a session whose pull request is opened and updated in the prompting
// people's names and marked merged by GitHub's webhook, and pushes GitHub fails retried or reported
// with the commit kept. One file on purpose: every test shares the one GitHub world and App
// installation that setup.ts builds, and the helpers below that drive it.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { webhookSignature } from "../../github/webhook-signature.ts";
import type { SessionView } from "../../protocol/api.ts";
import type { SessionEvent } from "../../protocol/events.ts";
import { sandboxProviderFrom } from "../../sandbox/configured-provider.ts";
import { ORIGIN, request, share, signUp, type TestPerson } from "../integration/helpers.ts";
import type { GitHubTestWorld } from "./setup.ts";
import { putModelScript } from "../support/model-script.ts";

const world = JSON.parse(env.TEST_GITHUB_WORLD) as GitHubTestWorld;
const gh = world.github.url;

/** Signs in through the whole OAuth flow, as a browser would, and returns an API caller with the session cookie. */
async function signInWithGitHub(login: string): Promise<TestPerson & { cookie: string }> {
  const start = await request("/api/auth/github/start?returnTo=/sessions", { redirect: "manual" });
  expect(start.status).toBe(302);
  const pendingCookie = start.headers.get("set-cookie")!.split(";")[0]!;
  const authorize = new URL(start.headers.get("location")!);
  expect(authorize.origin).toBe(gh);
  expect(authorize.searchParams.get("code_challenge_method")).toBe("S256");
  authorize.searchParams.set("login", login);
  const approved = await fetch(authorize, { redirect: "manual" });
  expect(approved.status).toBe(302);
  const callback = new URL(approved.headers.get("location")!);
  expect(callback.pathname).toBe("/api/auth/github/callback");
  const signedIn = await request(`${callback.pathname}${callback.search}`, {
    redirect: "manual",
    headers: { cookie: pendingCookie },
  });
  expect(signedIn.status).toBe(302);
  expect(signedIn.headers.get("location")).toBe("/sessions");
  const cookie = signedIn.headers
    .getSetCookie()
    .map((c) => c.split(";")[0]!)
    .find((c) => c.startsWith("tandem_session="))!;
  expect(cookie).toBeDefined();
  const api: TestPerson["api"] = (path, init = {}) =>
    request(path, {
      method: init.method ?? (init.body === undefined ? "GET" : "POST"),
      headers: {
        cookie,
        origin: ORIGIN,
        ...(init.body === undefined ? {} : { "content-type": "application/json" }),
        ...init.headers,
      },
      ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
    });
  const me = (await (await api("/api/auth/me")).json()) as { user: TestPerson["user"] };
  return { user: me.user as TestPerson["user"], token: "", api, cookie };
}

async function control<T>(path: string, init: RequestInit = {}): Promise<T> {
  const response = await fetch(`${gh}/_stand-in/${path}`, {
    ...init,
    headers: { "content-type": "application/json", ...init.headers },
  });
  expect(response.ok, `${path}: ${response.status}`).toBe(true);
  return (response.status === 204 ? null : await response.json()) as T;
}

interface Delivery {
  guid: string;
  event: string;
  action: string | null;
  payload: unknown;
}

/** Hands a delivery the stand-in recorded to the Worker, signed as GitHub signs it. */
async function deliver(delivery: Delivery, secret = world.github.webhookSecret): Promise<Response> {
  const body = new TextEncoder().encode(JSON.stringify(delivery.payload));
  return request("/api/github/webhook", {
    method: "POST",
    headers: {
      "content-type": "application/json",
      "x-github-event": delivery.event,
      "x-github-delivery": delivery.guid,
      "x-hub-signature-256": await webhookSignature(secret, body),
    },
    body,
  });
}

async function eventsOf(person: TestPerson, sessionId: string): Promise<SessionEvent[]> {
  return (
    (await (await person.api(`/api/sessions/${sessionId}/events?limit=1000`)).json()) as {
      events: SessionEvent[];
    }
  ).events;
}

/**
 * A repository of its own on the stand-in (so faults injected on it reach no other test),
 * registered with Tandem by `person` and with its image built; returns `owner/name`.
 */
async function builtRepository(person: TestPerson, name: string): Promise<string> {
  const repo = `demo/${name}`;
  await control("repos", {
    method: "POST",
    body: JSON.stringify({
      owner: "demo",
      name,
      demo: true,
      collaborators: [{ login: person.user.login, permission: "push" }],
    }),
  });
  const registered = await person.api("/api/repositories", {
    body: { repo, cloneUrl: `${gh}/${repo}.git`, warmPoolSize: 0 },
  });
  expect(registered.status).toBe(201);
  const main = await branchOnStandIn(repo, "main");
  const built = (await (
    await person.api(`/api/repositories/${repo}/images`, { body: { commit: main } })
  ).json()) as { imageId: string };
  await expect
    .poll(
      async () =>
        (
          (await (await person.api(`/api/repositories/${repo}`)).json()) as {
            pool: { currentImageId: string | null };
          }
        ).pool.currentImageId,
      { timeout: 30_000 },
    )
    .toBe(built.imageId);
  return repo;
}

/** The commit a branch of a stand-in repository points at, read as its owner; null when absent. */
async function branchOnStandIn(repo: string, branch: string): Promise<string | null> {
  const { access_token: token } = await control<{ access_token: string }>("tokens/user", {
    method: "POST",
    body: JSON.stringify({ login: "demo" }),
  });
  const response = await fetch(`${gh}/repos/${repo}/branches/${encodeURIComponent(branch)}`, {
    headers: { authorization: `Bearer ${token}` },
  });
  if (response.status === 404) return null;
  expect(response.status).toBe(200);
  return ((await response.json()) as { commit: { sha: string } }).commit.sha;
}

/** Makes the next `times` pushes to `repo` fail with `status` (0 clears it). */
async function failPushes(repo: string, status: number, times: number): Promise<void> {
  await control("faults", {
    method: "POST",
    body: JSON.stringify({ operation: "git/receive-pack", status, times, repo }),
  });
}

/** The statuses the stand-in answered the pushes to `repo` with, oldest first. */
async function pushStatuses(repo: string): Promise<(number | null)[]> {
  const { requests } = await control<{ requests: { path: string; status: number | null }[] }>(
    "requests?operation=git/receive-pack",
  );
  return requests.filter((r) => r.path.startsWith(`/${repo}.git/`)).map((r) => r.status);
}

/** Opens a session on `repo` whose first turn writes one file as scripted, and commits it. */
async function sessionWritingAFile(person: TestPerson, repo: string, script: string) {
  const put = await putModelScript(world.modelUrl, script, {
    responses: [
      {
        content: [
          {
            type: "tool_use",
            name: "write_file",
            input: { path: "PUSHED.md", content: `${script}\n` },
          },
        ],
      },
      { content: [{ type: "text", text: "Wrote PUSHED.md." }] },
    ],
  });
  expect(put.status).toBe(200);
  const created = (await (
    await person.api("/api/sessions", {
      body: {
        repo,
        title: `Write ${script}`,
        prompt: { clientId: "p", text: `Write the file [script:${script}]` },
      },
    })
  ).json()) as { session: SessionView };
  return created.session.id;
}

describe("GitHub", () => {
  it("signs people in through OAuth with PKCE and keeps their tokens sealed", async () => {
    const alice = await signInWithGitHub("alice");
    expect(alice.user).toMatchObject({ login: "alice", name: "Alice Liddell" });
    // The code exchange carried the PKCE verifier and went to the token endpoint once.
    const exchanges = await control<{ requests: { operation: string; status: number }[] }>(
      "requests?operation=oauth/access-token",
    );
    expect(exchanges.requests.some((r) => r.status === 200)).toBe(true);
    // No token is stored in clear anywhere in the database.
    const tables = await env.DB.prepare(
      "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE '\\_%' ESCAPE '\\' AND name NOT LIKE 'sqlite%' AND name NOT LIKE 'd1%'",
    ).all<{ name: string }>();
    for (const { name } of tables.results) {
      const rows = await env.DB.prepare(`SELECT * FROM "${name}"`).all();
      const text = JSON.stringify(rows.results);
      expect(text, name).not.toMatch(/gh[usr]_[A-Za-z0-9]/);
    }
    const account = await env.DB.prepare("SELECT access_sealed FROM github_accounts").first<{
      access_sealed: string;
    }>();
    expect(account!.access_sealed).toMatch(/^v1\./);
  });

  it("refuses a forged state and a sign-in from another browser", async () => {
    const start = await request("/api/auth/github/start", { redirect: "manual" });
    const authorize = new URL(start.headers.get("location")!);
    const approved = await fetch(authorize, { redirect: "manual" });
    const callback = new URL(approved.headers.get("location")!);
    // No pending-sign-in cookie: another browser.
    const stolen = await request(`${callback.pathname}${callback.search}`, { redirect: "manual" });
    expect(stolen.status).toBe(401);
    expect(await stolen.json()).toMatchObject({ error: { code: "unauthenticated" } });
  });

  it("lets people open sessions only on repositories their own GitHub access reaches", async () => {
    const alice = await signInWithGitHub("alice");
    const carol = await signInWithGitHub("carol");
    const local = await signUp();
    const body = { repo: "demo/stats", title: "access" };
    expect((await alice.api("/api/sessions", { body })).status).toBe(201);
    const refused = await carol.api("/api/sessions", { body });
    expect(refused.status).toBe(404);
    expect(await refused.json()).toMatchObject({ error: { code: "not_found" } });
    const noGitHub = await local.api("/api/sessions", { body });
    expect(noGitHub.status).toBe(403);
    expect(((await noGitHub.json()) as { error: { message: string } }).error.message).toMatch(
      /Sign in with GitHub/,
    );
  });

  it("refuses forged webhooks and handles each delivery once", async () => {
    const delivery: Delivery = {
      guid: crypto.randomUUID(),
      event: "push",
      action: null,
      payload: {
        ref: "refs/heads/feature",
        after: "0".repeat(40),
        repository: { full_name: "demo/stats", default_branch: "main" },
      },
    };
    const forged = await deliver(delivery, "not-the-secret");
    expect(forged.status).toBe(401);
    const first = await deliver(delivery);
    expect(await first.json()).toMatchObject({ duplicate: false, handled: "ignored" });
    const again = await deliver(delivery);
    expect(await again.json()).toMatchObject({ duplicate: true });
    const unsigned = await request("/api/github/webhook", {
      method: "POST",
      headers: { "x-github-event": "push", "x-github-delivery": "x" },
      body: "{}",
    });
    expect(unsigned.status).toBe(401);
  });

  it("registers repositories the App is installed on, for the people who can reach them", async () => {
    const demo = await signInWithGitHub("demo");
    await control("repos", {
      method: "POST",
      body: JSON.stringify({ owner: "demo", name: "installed", demo: true }),
    });
    const deliveries = await control<{ deliveries: Delivery[] }>(
      "deliveries?event=installation_repositories&wait=true",
    );
    const added = deliveries.deliveries.find((d) =>
      JSON.stringify(d.payload).includes("demo/installed"),
    )!;
    expect(await (await deliver(added)).json()).toMatchObject({
      handled: "installation_repositories",
    });
    const listed = (await (await demo.api("/api/repositories")).json()) as {
      repositories: { repo: string; cloneUrl: string; defaultBranch: string }[];
    };
    expect(listed.repositories.find((r) => r.repo === "demo/installed")).toMatchObject({
      cloneUrl: `${gh}/demo/installed.git`,
      defaultBranch: "main",
    });
    const carol = await signInWithGitHub("carol");
    const hers = (await (await carol.api("/api/repositories")).json()) as {
      repositories: { repo: string }[];
    };
    expect(hers.repositories.map((r) => r.repo)).not.toContain("demo/installed");
  });

  it.skipIf(!("url" in world.sandboxHost))(
    "opens the pull request in the prompting person's name, updates it for a follow-up, and sees it merged",
    async () => {
      const alice = await signInWithGitHub("alice");
      const bob = await signInWithGitHub("bob");
      const gitUrl = `${gh}/demo/stats.git`;
      expect(
        (
          await alice.api("/api/repositories", {
            body: { repo: "demo/stats", cloneUrl: gitUrl, warmPoolSize: 0 },
          })
        ).status,
      ).toBe(201);
      // The build clones the private repository with an installation token minted for it.
      const refs = await fetch(`${gh}/repos/demo/stats/branches/main`, {
        headers: {
          authorization: `Bearer ${(await control<{ access_token: string }>("tokens/user", { method: "POST", body: JSON.stringify({ login: "alice" }) })).access_token}`,
        },
      });
      const mainCommit = ((await refs.json()) as { commit: { sha: string } }).commit.sha;
      const built = (await (
        await alice.api("/api/repositories/demo/stats/images", { body: { commit: mainCommit } })
      ).json()) as { imageId: string };
      await expect
        .poll(
          async () =>
            (
              (await (await alice.api("/api/repositories/demo/stats")).json()) as {
                pool: { currentImageId: string | null };
              }
            ).pool.currentImageId,
          { timeout: 30_000 },
        )
        .toBe(built.imageId);

      const script = await putModelScript(world.modelUrl, "github-pr", {
        responses: [
          {
            content: [
              {
                type: "tool_use",
                name: "write_file",
                input: { path: "NOTES.md", content: "one\n" },
              },
            ],
          },
          { content: [{ type: "text", text: "Added NOTES.md." }] },
          {
            content: [
              {
                type: "tool_use",
                name: "edit_file",
                input: { path: "NOTES.md", old_string: "one", new_string: "two" },
              },
            ],
          },
          { content: [{ type: "text", text: "Edited it." }] },
          {
            content: [
              {
                type: "tool_use",
                name: "edit_file",
                input: { path: "NOTES.md", old_string: "two", new_string: "three" },
              },
            ],
          },
          { content: [{ type: "text", text: "Edited it again." }] },
        ],
      });
      expect(script.status).toBe(200);
      const created = (await (
        await alice.api("/api/sessions", {
          body: {
            repo: "demo/stats",
            title: "Add notes",
            prompt: { clientId: "a", text: "Add a notes file [script:github-pr]" },
          },
        })
      ).json()) as { session: SessionView };
      const sessionId = created.session.id;
      await expect
        .poll(
          async () =>
            (await eventsOf(alice, sessionId)).find((e) => e.type === "pull_request.published")
              ?.data,
          {
            timeout: 30_000,
          },
        )
        .toMatchObject({ created: true, by: { login: "alice" } });
      const opened = await control<{
        requests: { identity: { kind: string; login?: string }; tokenKind: string }[];
      }>("requests?operation=pulls/create");
      expect(opened.requests.at(-1)).toMatchObject({
        identity: { kind: "user", login: "alice" },
        tokenKind: "user-to-server",
      });
      const pushes = await control<{ requests: { identity: { kind: string }; status: number }[] }>(
        "requests?operation=git/receive-pack",
      );
      expect(pushes.requests.at(-1)).toMatchObject({
        identity: { kind: "installation" },
        status: 200,
      });

      // Bob follows up: his commit, the same pull request, updated with his token.
      await share(alice, sessionId, bob, "collaborator");
      // GitHub fails the update twice: the session retries and gets through.
      await control("faults", {
        method: "POST",
        body: JSON.stringify({ operation: "pulls/update", status: 502, times: 2 }),
      });
      await bob.api(`/api/sessions/${sessionId}/prompts`, {
        body: { clientId: "b", text: "Make it two" },
      });
      await expect
        .poll(
          async () =>
            (await eventsOf(alice, sessionId)).filter((e) => e.type === "pull_request.published")
              .length,
          { timeout: 30_000 },
        )
        .toBe(2);
      const events = await eventsOf(alice, sessionId);
      const published = events.flatMap((e) =>
        e.type === "pull_request.published" ? [e.data] : [],
      );
      expect(published[1]).toMatchObject({
        created: false,
        number: published[0]!.number,
        by: { login: "bob" },
      });
      const commits = events.flatMap((e) => (e.type === "commit.created" ? [e.data.author] : []));
      expect(commits).toEqual([
        { name: "Alice Liddell", email: "alice@example.com" },
        { name: "Bob Builder", email: "bob@tandem.invalid" },
      ]);
      const updated = await control<{ requests: { identity: { login?: string } }[] }>(
        "requests?operation=pulls/update",
      );
      expect(updated.requests.at(-1)!.identity.login).toBe("bob");

      // No token is visible inside the sandbox: not in its environment, its files or its git config.
      const sandboxId = events
        .flatMap((e) => (e.type === "sandbox.status" && e.data.sandboxId ? [e.data.sandboxId] : []))
        .at(-1)!;
      const scan = await sandboxProviderFrom(env)!.exec(sandboxId, {
        argv: [
          "bash",
          "-c",
          "env; git config --list; grep -rIl 'gh[usr]_' / --exclude-dir=proc --exclude-dir=sys 2>/dev/null | head",
        ],
        timeoutMs: 60_000,
      });
      expect(atob(scan.stdout)).not.toMatch(/gh[usr]_[A-Za-z0-9]{8}/);

      // GitHub merges it; the webhook marks the session merged.
      const number = published[0]!.number;
      const token = (
        await control<{ access_token: string }>("tokens/user", {
          method: "POST",
          body: JSON.stringify({ login: "alice" }),
        })
      ).access_token;
      const merged = await fetch(`${gh}/repos/demo/stats/pulls/${number}/merge`, {
        method: "PUT",
        headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
        body: JSON.stringify({ merge_method: "merge" }),
      });
      expect(merged.status).toBe(200);
      const deliveries = await control<{ deliveries: Delivery[] }>(
        "deliveries?event=pull_request&wait=true",
      );
      const mergeDelivery = deliveries.deliveries.filter((d) => d.action === "closed").at(-1)!;
      expect((await deliver(mergeDelivery)).status).toBe(200);
      const { session } = (await (await alice.api(`/api/sessions/${sessionId}`)).json()) as {
        session: SessionView;
      };
      expect(session.pullRequest).toMatchObject({ number, state: "merged" });
      expect(
        (await eventsOf(alice, sessionId)).some(
          (e) => e.type === "pull_request.changed" && e.data.state === "merged",
        ),
      ).toBe(true);
      // After the merge a new turn needs a new pull request; GitHub keeps failing: retried, then reported.
      await control("faults", {
        method: "POST",
        body: JSON.stringify({ operation: "pulls/create", status: 503, times: 3 }),
      });
      await alice.api(`/api/sessions/${sessionId}/prompts`, {
        body: { clientId: "c", text: "Once more" },
      });
      await expect
        .poll(
          async () =>
            (await eventsOf(alice, sessionId)).find((e) => e.type === "pull_request.failed")?.data,
          {
            timeout: 30_000,
          },
        )
        .toMatchObject({ reason: expect.stringContaining("503") });
      const creates = await control<{ requests: { status: number }[] }>(
        "requests?operation=pulls/create",
      );
      expect(creates.requests.map((r) => r.status).slice(-3)).toEqual([503, 503, 503]);
      const violations = await control<{ violations: unknown[] }>("violations");
      expect(violations.violations).toEqual([]);
    },
  );

  it.skipIf(!("url" in world.sandboxHost))(
    "retries a push GitHub fails twice with 502 and then opens the pull request",
    async () => {
      const alice = await signInWithGitHub("alice");
      const repo = await builtRepository(alice, "push-retried");
      await failPushes(repo, 502, 2);
      const sessionId = await sessionWritingAFile(alice, repo, "push-retried");
      await expect
        .poll(
          async () =>
            (await eventsOf(alice, sessionId)).find((e) => e.type === "pull_request.published")
              ?.data,
          { timeout: 30_000 },
        )
        .toMatchObject({ created: true, branch: `tandem/${sessionId}`, by: { login: "alice" } });
      const events = await eventsOf(alice, sessionId);
      expect(events.some((e) => e.type === "pull_request.failed")).toBe(false);
      const [published] = events.flatMap((e) =>
        e.type === "pull_request.published" ? [e.data] : [],
      );
      const commits = events.flatMap((e) => (e.type === "commit.created" ? [e.data.sha] : []));
      expect(commits).toEqual([published!.commit]);
      expect(await pushStatuses(repo)).toEqual([502, 502, 200]);
      expect(await branchOnStandIn(repo, `tandem/${sessionId}`)).toBe(published!.commit);
      const violations = await control<{ violations: unknown[] }>("violations");
      expect(violations.violations).toEqual([]);
    },
  );

  it.skipIf(!("url" in world.sandboxHost))(
    "reports a push GitHub keeps failing, keeps the commit, and publishes it once GitHub is back",
    async () => {
      const alice = await signInWithGitHub("alice");
      const repo = await builtRepository(alice, "push-failing");
      await failPushes(repo, 502, 100);
      const sessionId = await sessionWritingAFile(alice, repo, "push-failing");
      await expect
        .poll(
          async () =>
            (await eventsOf(alice, sessionId)).find((e) => e.type === "pull_request.failed")?.data,
          { timeout: 30_000 },
        )
        .toBeDefined();
      const events = await eventsOf(alice, sessionId);
      const [reason] = events.flatMap((e) =>
        e.type === "pull_request.failed" ? [e.data.reason] : [],
      );
      expect(reason).toMatch(/GitHub/);
      expect(reason).toContain("502");
      expect(reason).toContain(`tandem/${sessionId}`);
      expect(reason).not.toMatch(/\/mirrors\/|credential\.helper/);
      expect(events.some((e) => e.type === "pull_request.published")).toBe(false);
      expect(await pushStatuses(repo)).toEqual([502, 502, 502]);
      expect(await branchOnStandIn(repo, `tandem/${sessionId}`)).toBeNull();

      // Nothing is lost: the commit is still on the work branch in the session's workspace.
      const [committed] = events.flatMap((e) => (e.type === "commit.created" ? [e.data] : []));
      const sandboxId = events
        .flatMap((e) => (e.type === "sandbox.status" && e.data.sandboxId ? [e.data.sandboxId] : []))
        .at(-1)!;
      const head = await sandboxProviderFrom(env)!.exec(sandboxId, {
        argv: ["git", "rev-parse", `refs/heads/tandem/${sessionId}`],
        cwd: "/workspace",
        timeoutMs: 30_000,
      });
      expect(atob(head.stdout).trim()).toBe(committed!.sha);

      // GitHub is back: publishing again pushes that commit and opens the pull request.
      await failPushes(repo, 502, 0);
      const again = await alice.api(`/api/sessions/${sessionId}/pull-request`, { body: {} });
      expect(again.status).toBe(200);
      expect(await again.json()).toMatchObject({ kind: "pull_request", created: true });
      expect(await branchOnStandIn(repo, `tandem/${sessionId}`)).toBe(committed!.sha);
      expect(
        (await eventsOf(alice, sessionId)).find((e) => e.type === "pull_request.published")?.data,
      ).toMatchObject({ commit: committed!.sha, created: true });
      const violations = await control<{ violations: unknown[] }>("violations");
      expect(violations.violations).toEqual([]);
    },
  );
});
