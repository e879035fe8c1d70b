// Session previews against a real sandbox host: the agent starts a server in the sandbox and
// publishes its port; participants open it on its own origin through the one-time sign-in link,
// and get its pages, echoed bodies and a WebSocket; everyone else, and Tandem's credentials, stay out.
import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env, exports } from "cloudflare:workers";
import { drizzle } from "drizzle-orm/durable-sqlite";
import { describe, expect, it } from "vitest";
import type { SessionEvent } from "../../protocol/events.ts";
import type { Preview } from "../../protocol/previews.ts";
import * as schema from "../../durable-objects/session/session.sql.ts";
import { SessionStore } from "../../durable-objects/session/store.ts";
import { sandboxProviderFrom } from "../../sandbox/configured-provider.ts";
import { issueGrant } from "../../worker/previews/preview-token.ts";
import type { ScriptInput } from "../model-stand-in/script.ts";
import { putModelScript } from "../support/model-script.ts";
import { PREVIEW_SERVER as SERVER } from "../support/preview-server.ts";
import { registerWithImage, share, signUp, type TestPerson } from "./helpers.ts";

const host = JSON.parse(env.TEST_SANDBOX_HOST) as
  { url: string; repoDir: string; commits: string[] } | { unavailable: string };
const available = "url" in host;

const PORT = 8000;

async function eventsOf(person: TestPerson, sessionId: string): Promise<SessionEvent[]> {
  return (
    (await (await person.api(`/api/sessions/${sessionId}/events?limit=1000`)).json()) as {
      events: SessionEvent[];
    }
  ).events;
}

/** A request to a preview's origin, as a browser on that origin sends it. */
function atPreview(url: string, init: RequestInit = {}): Promise<Response> {
  return exports.default.fetch(new Request(url, { redirect: "manual", ...init }));
}

/** Opens a preview as `person`, the way the Open link does: the open route, then the sign-in
 * link on the preview's origin. Returns the preview's cookie and where it went. */
async function open(person: TestPerson, sessionId: string, port: number, path = "/") {
  const opened = await exports.default.fetch(
    new Request(
      `http://tandem.test/api/sessions/${sessionId}/previews/${port}/open?path=${encodeURIComponent(path)}`,
      { headers: { authorization: `Bearer ${person.token}` }, redirect: "manual" },
    ),
  );
  expect(opened.status).toBe(302);
  const link = opened.headers.get("location")!;
  const landed = await atPreview(link);
  expect(landed.status).toBe(302);
  const setCookie = landed.headers.get("set-cookie")!;
  expect(setCookie).toMatch(
    /^tandem_preview=pvc\.[^;]+; Max-Age=43200; Path=\/; HttpOnly; SameSite=Lax$/,
  );
  return {
    link,
    origin: new URL(link).origin,
    cookie: setCookie.split(";")[0]!,
    location: landed.headers.get("location"),
  };
}

describe.skipIf(!available)("session previews", () => {
  const demo = host as { url: string; repoDir: string; commits: string[] };
  let alice: TestPerson;
  let bob: TestPerson;
  let carol: TestPerson;
  let sessionId: string;
  let origin: string;

  // Set up once, by whichever test runs first (expect.poll only runs inside tests).
  let prepared: Promise<void> | null = null;
  const world = () => (prepared ??= prepare());
  async function prepare() {
    [alice, bob, carol] = await Promise.all([signUp(), signUp(), signUp()]);
    await registerWithImage(alice, "acme/previews", demo.repoDir, demo.commits[0]!);
    const script: ScriptInput["responses"] = [
      // Too early: nothing listens yet, and the tool says what to do.
      {
        content: [{ type: "tool_use", id: "toolu_p1", name: "expose_port", input: { port: PORT } }],
      },
      {
        content: [
          {
            type: "tool_use",
            id: "toolu_p2",
            name: "write_file",
            input: { path: "preview_server.py", content: SERVER },
          },
        ],
      },
      {
        content: [
          {
            type: "tool_use",
            id: "toolu_p3",
            name: "run_command",
            input: {
              command: `setsid -f python3 preview_server.py ${PORT} > /tmp/server.log 2>&1; for i in $(seq 1 50); do python3 -c "import socket; socket.create_connection(('127.0.0.1', ${PORT}))" 2>/dev/null && exit 0; sleep 0.1; done; cat /tmp/server.log; exit 1`,
            },
          },
        ],
      },
      {
        content: [
          {
            type: "tool_use",
            id: "toolu_p4",
            name: "expose_port",
            input: { port: PORT, label: "demo app" },
          },
        ],
      },
      { content: [{ type: "text", text: "The demo app is published." }] },
    ];
    expect(
      (await putModelScript(env.ANTHROPIC_BASE_URL, "previews", { responses: script })).ok,
    ).toBe(true);
    const created = await alice.api("/api/sessions", {
      body: {
        repo: "acme/previews",
        title: "previews",
        prompt: { clientId: "p1", text: "Start the demo app [script:previews]" },
      },
    });
    sessionId = ((await created.json()) as { session: { id: string } }).session.id;
    await share(alice, sessionId, bob, "viewer");
    await expect
      .poll(
        async () => (await eventsOf(alice, sessionId)).some((e) => e.type === "prompt.finished"),
        {
          timeout: 30_000,
        },
      )
      .toBe(true);
    origin = `http://${sessionId.replace("_", "-")}--${PORT}.localhost:8787`;
  }

  it("is published by the agent once a server listens, after telling it that none did yet", async () => {
    await world();
    const events = await eventsOf(alice, sessionId);
    const calls = events.flatMap((e) =>
      e.type === "agent.tool_finished" && e.data.name === "expose_port" ? [e.data] : [],
    );
    expect(calls.map((c) => c.status)).toEqual(["error", "ok"]);
    expect(calls[0]!.output).toContain(`Nothing listens on port ${PORT} in the sandbox yet`);
    const exposed = events.filter((e) => e.type === "preview.exposed");
    expect(exposed).toHaveLength(1);
    expect(exposed[0]).toMatchObject({
      actor: { userId: alice.user.id },
      data: { port: PORT, label: "demo app", url: `${origin}/`, by: "agent" },
    });
    const listed = (await (await bob.api(`/api/sessions/${sessionId}/previews`)).json()) as {
      previews: Preview[];
    };
    expect(listed.previews).toMatchObject([
      {
        port: PORT,
        label: "demo app",
        url: `${origin}/`,
        by: "agent",
        exposedBy: { userId: alice.user.id },
      },
    ]);
  }, 90_000);

  it("serves the page, POST bodies and a WebSocket to a viewer on the preview's own origin", async () => {
    await world();
    const signedIn = await open(bob, sessionId, PORT, "/welcome?from=tandem");
    expect(signedIn.origin).toBe(origin);
    expect(signedIn.location).toBe("/welcome?from=tandem");
    const page = await atPreview(`${origin}/welcome?from=tandem`, {
      headers: { cookie: signedIn.cookie, accept: "text/html" },
    });
    expect(page.status).toBe(200);
    expect(page.headers.get("content-type")).toBe("text/html; charset=utf-8");
    expect(await page.text()).toContain(
      "<h1>Hello from the sandbox</h1><p>/welcome?from=tandem</p>",
    );

    // Larger than the API's body limit, and changes are accepted from the preview's own pages.
    const big = "x".repeat(300_000);
    const posted = await atPreview(`${origin}/save`, {
      method: "POST",
      headers: { cookie: signedIn.cookie, origin, "content-type": "text/plain" },
      body: big,
    });
    expect(await posted.text()).toBe(`got 300000 bytes: ${"x".repeat(40)}`);

    const upgraded = await atPreview(`${origin}/live`, {
      headers: { cookie: signedIn.cookie, upgrade: "websocket", origin },
    });
    expect(upgraded.status).toBe(101);
    const socket = upgraded.webSocket!;
    socket.accept();
    const echoed = new Promise<string>((resolve) =>
      socket.addEventListener("message", (event) => resolve(String(event.data)), { once: true }),
    );
    socket.send("hot reload");
    expect(await echoed).toBe("echo: hot reload");
    socket.close(1000, "done");
  });

  it("never hands Tandem's cookies or the Authorization header to the sandbox's server, nor lets it set them", async () => {
    await world();
    const { cookie } = await open(alice, sessionId, PORT);
    const seen = (await (
      await atPreview(`${origin}/headers`, {
        headers: {
          cookie: `${cookie}; tandem_session=aus_x.sig; app_session=kept`,
          authorization: `Bearer ${alice.token}`,
        },
      })
    ).json()) as Record<string, string>;
    expect(seen.cookie).toBe("app_session=kept");
    expect(seen.authorization).toBeUndefined();
    expect(JSON.stringify(seen)).not.toContain(alice.token);
    expect(JSON.stringify(seen)).not.toContain("pvc.");
    expect(seen["x-forwarded-host"]).toBe(new URL(origin).host);
    // Nor may the server set them: only its own cookie comes through.
    const set = await atPreview(`${origin}/set-cookie`, { headers: { cookie } });
    expect(set.headers.getSetCookie()).toEqual(["app=1; Path=/"]);
  });

  it("refuses outsiders, anonymous requests and requests from other sites", async () => {
    await world();
    const outsider = await carol.api(`/api/sessions/${sessionId}/previews/${PORT}/open`);
    expect(outsider.status).toBe(404);
    const anonymousOpen = await exports.default.fetch(
      new Request(`http://tandem.test/api/sessions/${sessionId}/previews/${PORT}/open`),
    );
    expect(anonymousOpen.status).toBe(401);
    // A page opened without the cookie is sent to sign in through Tandem; anything else is refused.
    const page = await atPreview(`${origin}/some/page?x=1`, {
      headers: { "sec-fetch-mode": "navigate", accept: "text/html" },
    });
    expect(page.status).toBe(302);
    expect(page.headers.get("location")).toBe(
      `http://tandem.test/api/sessions/${sessionId}/previews/${PORT}/open?path=%2Fsome%2Fpage%3Fx%3D1`,
    );
    const call = await atPreview(`${origin}/headers`);
    expect(call.status).toBe(401);
    expect(await call.json()).toMatchObject({ error: { code: "unauthenticated" } });
    // The cookie of one preview opens no other (another port of the session here).
    const { cookie } = await open(alice, sessionId, PORT);
    const otherPort = origin.replace(`--${PORT}.`, "--8001.");
    expect((await atPreview(`${otherPort}/`, { headers: { cookie } })).status).toBe(401);
    // A page of another site cannot post or open a socket with the person's cookie.
    const crossSite = await atPreview(`${origin}/save`, {
      method: "POST",
      headers: { cookie, origin: "http://evil.example" },
      body: "x",
    });
    expect(crossSite.status).toBe(403);
    const crossSocket = await atPreview(`${origin}/live`, {
      headers: { cookie, upgrade: "websocket", origin: "http://evil.example" },
    });
    expect(crossSocket.status).toBe(403);
  });

  it("refuses forged, expired, misdirected and reused sign-in links", async () => {
    await world();
    const auth = `${origin}/__tandem/preview-auth`;
    const forged = await issueGrant(
      { sessionId, port: PORT, userId: bob.user.id },
      "not-the-secret-0123456789abcdef0123456789",
      Date.now(),
    );
    const expired = await issueGrant(
      { sessionId, port: PORT, userId: bob.user.id },
      env.SESSION_SECRET,
      Date.now() - 120_000,
    );
    const carolLink = await issueGrant(
      { sessionId, port: PORT, userId: carol.user.id },
      env.SESSION_SECRET,
      Date.now(),
    );
    const otherPort = await issueGrant(
      { sessionId, port: 8001, userId: bob.user.id },
      env.SESSION_SECRET,
      Date.now(),
    );
    for (const token of [forged, expired, otherPort, "garbage"]) {
      const answer = await atPreview(`${auth}?token=${encodeURIComponent(token)}`);
      expect(answer.status).toBe(401);
      expect(answer.headers.get("set-cookie")).toBeNull();
    }
    // Rightly signed for a non-participant: the session refuses it.
    expect((await atPreview(`${auth}?token=${encodeURIComponent(carolLink)}`)).status).toBe(404);
    const { link } = await open(bob, sessionId, PORT);
    const again = await atPreview(link);
    expect(again.status).toBe(401);
    expect(await again.text()).toContain("used already");
  });

  it("keeps viewers from publishing or closing ports, and closes a port for everyone", async () => {
    await world();
    const refused = await bob.api(`/api/sessions/${sessionId}/previews`, { body: { port: 8001 } });
    expect(refused.status).toBe(403);
    const exposed = await alice.api(`/api/sessions/${sessionId}/previews`, {
      body: { port: 8001, label: "nothing here" },
    });
    expect(exposed.status).toBe(201);
    expect(((await exposed.json()) as { preview: Preview }).preview).toMatchObject({
      port: 8001,
      by: "person",
      exposedBy: { userId: alice.user.id },
    });
    const { cookie, origin: unreachableOrigin } = await open(bob, sessionId, 8001);
    const unreachable = await atPreview(`${unreachableOrigin}/`, { headers: { cookie } });
    expect(unreachable.status).toBe(502);
    expect(await unreachable.json()).toMatchObject({
      error: { code: "port_unreachable", message: expect.stringContaining("Port 8001") },
    });
    expect(
      (await bob.api(`/api/sessions/${sessionId}/previews/8001`, { method: "DELETE" })).status,
    ).toBe(403);
    expect(
      (await alice.api(`/api/sessions/${sessionId}/previews/8001`, { method: "DELETE" })).status,
    ).toBe(200);
    const closed = await atPreview(`${unreachableOrigin}/`, { headers: { cookie } });
    expect(closed.status).toBe(404);
    expect((await eventsOf(alice, sessionId)).at(-1)).toMatchObject({
      type: "preview.closed",
      data: { port: 8001 },
    });
  });

  it("shuts out a participant the moment they are removed from the session", async () => {
    await world();
    const dave = await signUp();
    await share(alice, sessionId, dave, "collaborator");
    const { cookie } = await open(dave, sessionId, PORT);
    expect((await atPreview(`${origin}/`, { headers: { cookie } })).status).toBe(200);
    const removed = await alice.api(`/api/sessions/${sessionId}/participants/${dave.user.id}`, {
      method: "DELETE",
    });
    expect(removed.status).toBe(200);
    const after = await atPreview(`${origin}/`, { headers: { cookie } });
    expect(after.status).toBe(404);
    expect(after.headers.get("set-cookie")).toMatch(/^tandem_preview=; Max-Age=0/);
  });

  it("says the sandbox sleeps when it was stopped, and exposes the port again on the next one", async () => {
    await world();
    const { cookie } = await open(alice, sessionId, PORT);
    const stub = env.SESSION.get(env.SESSION.idFromName(sessionId));
    await runInDurableObject(stub, (_instance, state) => {
      const store = new SessionStore(drizzle(state.storage, { schema }));
      store.saveSandbox({ lastActivityAt: 0 });
      store.setDeadline("sandbox.idle", 1);
    });
    await runDurableObjectAlarm(stub);
    const statuses = async () =>
      (await eventsOf(alice, sessionId)).flatMap((e) =>
        e.type === "sandbox.status" ? [e.data] : [],
      );
    await expect
      .poll(async () => (await statuses()).at(-1)?.status, { timeout: 20_000 })
      .toBe("stopped");
    const asleep = await atPreview(`${origin}/`, { headers: { cookie } });
    expect(asleep.status).toBe(503);
    expect(await asleep.json()).toMatchObject({ error: { code: "sandbox_not_running" } });
    const page = await atPreview(`${origin}/`, {
      headers: { cookie, "sec-fetch-mode": "navigate", accept: "text/html" },
    });
    expect(page.headers.get("content-type")).toContain("text/html");
    expect(await page.text()).toContain('http-equiv="refresh"');

    // The next prompt restores the sandbox; the port is exposed on it, though no server runs yet.
    await alice.api(`/api/sessions/${sessionId}/prompts`, {
      body: { clientId: "p2", text: "again" },
    });
    await expect
      .poll(async () => (await statuses()).at(-1)?.status, { timeout: 20_000 })
      .toBe("ready");
    const restored = (await statuses()).at(-1)!.sandboxId!;
    const provider = sandboxProviderFrom(env)!;
    await expect
      .poll(
        () =>
          provider.fetchPort(restored, PORT, new Request("http://preview/")).then(
            () => "answered",
            (error: { code?: string }) => error.code,
          ),
        { timeout: 10_000 },
      )
      .toBe("port_unreachable");
    const unreachable = await atPreview(`${origin}/`, { headers: { cookie } });
    expect(unreachable.status).toBe(502);
    await provider.destroySandbox(restored);
  });
});
