// Who may do what to a session: outsiders see nothing and join nothing, viewers only watch, removed
// people lose every way in, share links stop admitting people once revoked or expired, sockets come
// only from Tandem's own pages, and browser cookies and stored credentials are out of scripts' and
// readers' reach.
import { runInDurableObject } from "cloudflare:test";
import { env, exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { sha256Hex } from "../../crypto/digest.ts";
import {
  ORIGIN,
  TestSocket,
  createSession,
  request,
  share,
  signUp,
  type TestPerson,
} from "../integration/helpers.ts";

/** A share link `owner` creates on `sessionId`. */
async function linkFor(
  owner: TestPerson,
  sessionId: string,
  role: "collaborator" | "viewer",
): Promise<{ token: string; link: { id: string } }> {
  const response = await owner.api(`/api/sessions/${sessionId}/share-links`, { body: { role } });
  expect(response.status).toBe(201);
  return (await response.json()) as { token: string; link: { id: string } };
}

async function expectCode(response: Response, status: number, code: string): Promise<void> {
  expect(response.status).toBe(status);
  expect(await response.json()).toMatchObject({ error: { code } });
}

/** Signs `person` in through the browser route and returns the raw Set-Cookie header. */
async function signInCookie(person: TestPerson): Promise<string> {
  const response = await request("/api/auth/session", {
    method: "POST",
    headers: { "content-type": "application/json", origin: ORIGIN },
    body: JSON.stringify({ token: person.token }),
  });
  expect(response.status).toBe(200);
  return response.headers.get("set-cookie")!;
}

describe("a person who does not take part in a session", () => {
  it("cannot read it, its events, its links or find it in their list", async () => {
    const alice = await signUp();
    const mallory = await signUp();
    const id = await createSession(alice);
    for (const path of [
      `/api/sessions/${id}`,
      `/api/sessions/${id}/events?after=0&limit=1000`,
      `/api/sessions/${id}/share-links`,
    ])
      await expectCode(await mallory.api(path), 404, "not_found");
    const list = await mallory.api("/api/sessions");
    expect(list.status).toBe(200);
    const listed = (await list.json()) as {
      sessions: { id: string }[];
    };
    expect(listed.sessions.map((s) => s.id)).not.toContain(id);
    await expectCode(
      await mallory.api(`/api/sessions/${id}/settings`, {
        method: "PATCH",
        body: { spendLimitUsd: 1 },
      }),
      404,
      "not_found",
    );
    await expectCode(
      await mallory.api(`/api/sessions/${id}/prompts/msg_00000000000000000000000000`, {
        method: "DELETE",
      }),
      404,
      "not_found",
    );
    for (const userId of [alice.user.id, mallory.user.id])
      await expectCode(
        await mallory.api(`/api/sessions/${id}/participants/${userId}`, { method: "DELETE" }),
        404,
        "not_found",
      );
  });

  it("cannot join with a link to another session, nor with no link", async () => {
    const alice = await signUp();
    const mallory = await signUp();
    const id = await createSession(alice);
    const hers = await createSession(mallory);
    const { token } = await linkFor(mallory, hers, "collaborator");
    const borrowed = await mallory.api(`/api/sessions/${id}/join`, { body: { token } });
    expect(borrowed.status).toBeGreaterThanOrEqual(400);
    expect((await mallory.api(`/api/sessions/${id}`)).status).toBe(404);
    expect((await mallory.api(`/api/sessions/${id}/join`, { body: {} })).status).toBe(400);
    expect((await mallory.api(`/api/sessions/${id}`)).status).toBe(404);
  });

  it("cannot open its socket, with or without Tandem's own Origin", async () => {
    const alice = await signUp();
    const mallory = await signUp();
    const id = await createSession(alice);
    const variants: Record<string, string>[] = [{}, { Origin: ORIGIN }];
    for (const headers of variants) {
      const response = await request(`/api/sessions/${id}/ws`, {
        headers: { Upgrade: "websocket", Authorization: `Bearer ${mallory.token}`, ...headers },
      });
      expect(response.webSocket).toBeNull();
      await expectCode(response, 404, "not_found");
    }
  });

  it("cannot list, publish, close or open its previews", async () => {
    const alice = await signUp();
    const mallory = await signUp();
    const id = await createSession(alice);
    expect((await alice.api(`/api/sessions/${id}/previews`, { body: { port: 3000 } })).status).toBe(
      201,
    );
    for (const [path, init] of [
      [`/api/sessions/${id}/previews`, {}],
      [`/api/sessions/${id}/previews`, { body: { port: 4000 } }],
      [`/api/sessions/${id}/previews/3000`, { method: "DELETE" }],
      [`/api/sessions/${id}/previews/3000/open`, {}],
    ] as const)
      await expectCode(await mallory.api(path, init), 404, "not_found");
  });

  it("cannot publish its pull request", async () => {
    const alice = await signUp();
    const mallory = await signUp();
    const id = await createSession(alice);
    await expectCode(
      await mallory.api(`/api/sessions/${id}/pull-request`, { body: {} }),
      404,
      "not_found",
    );
  });
});

describe("a viewer", () => {
  it("cannot prompt, stop, share or change settings over HTTP", async () => {
    const alice = await signUp();
    const viewer = await signUp();
    const id = await createSession(alice);
    await share(alice, id, viewer, "viewer");
    const attempts: [string, { method?: string; body?: unknown }][] = [
      [`/api/sessions/${id}/prompts`, { body: { clientId: "v", text: "let me in" } }],
      [`/api/sessions/${id}/stop`, { body: {} }],
      [`/api/sessions/${id}/share-links`, { body: { role: "collaborator" } }],
      [`/api/sessions/${id}/share-links`, {}],
      [`/api/sessions/${id}/settings`, { method: "PATCH", body: { spendLimitUsd: 1000 } }],
      [`/api/sessions/${id}/settings`, { method: "PATCH", body: { model: "claude-opus-4-1" } }],
      [`/api/sessions/${id}/previews`, { body: { port: 3000 } }],
      [`/api/sessions/${id}/previews/3000`, { method: "DELETE" }],
      [`/api/sessions/${id}/participants/${alice.user.id}`, { method: "DELETE" }],
    ];
    for (const [path, init] of attempts)
      await expectCode(await viewer.api(path, init), 403, "forbidden");
    const { session } = (await (await alice.api(`/api/sessions/${id}`)).json()) as {
      session: { queue: { queued: unknown[] }; settings?: unknown };
    };
    expect(session.queue.queued).toEqual([]);
    const links = (await (await alice.api(`/api/sessions/${id}/share-links`)).json()) as {
      links: unknown[];
    };
    expect(links.links).toHaveLength(1);
  });

  it("cannot prompt, stop, cancel or type over the socket", async () => {
    const alice = await signUp();
    const viewer = await signUp();
    const id = await createSession(alice);
    await share(alice, id, viewer, "viewer");
    const queued = (await (
      await alice.api(`/api/sessions/${id}/prompts`, { body: { clientId: "a1", text: "mine" } })
    ).json()) as { messageId: string };
    const socket = await TestSocket.open(viewer, id);
    await socket.subscribe(0);
    const refused = async (message: Record<string, unknown>) => {
      const from = socket.received.length;
      socket.send(message);
      const error = await socket.next("error", () => true, from);
      expect(error, JSON.stringify(message)).toMatchObject({ code: "forbidden", retryable: false });
    };
    await refused({ type: "prompt", clientId: "v1", text: "let me prompt" });
    await refused({ type: "stop" });
    await refused({ type: "prompt.cancel", messageId: queued.messageId });
    await refused({ type: "typing", typing: true });
    socket.close();
    const events = (await (await alice.api(`/api/sessions/${id}/events?limit=1000`)).json()) as {
      events: { type: string; data: { author?: { userId: string } } }[];
    };
    expect(
      events.events.filter(
        (e) => e.type.startsWith("prompt.") && e.data.author?.userId === viewer.user.id,
      ),
    ).toEqual([]);
  });
});

describe("a person removed from a session", () => {
  it("loses every way in at once: reads, prompts, links, previews, the pull request, the socket", async () => {
    const alice = await signUp();
    const bob = await signUp();
    const id = await createSession(alice);
    await share(alice, id, bob, "collaborator");
    expect((await alice.api(`/api/sessions/${id}/previews`, { body: { port: 3000 } })).status).toBe(
      201,
    );
    const socket = await TestSocket.open(bob, id);
    await socket.next("hello");
    const removed = await alice.api(`/api/sessions/${id}/participants/${bob.user.id}`, {
      method: "DELETE",
    });
    expect(removed.status).toBe(200);
    expect((await socket.closed).code).toBe(4403);
    for (const [path, init] of [
      [`/api/sessions/${id}`, {}],
      [`/api/sessions/${id}/events`, {}],
      [`/api/sessions/${id}/prompts`, { body: { clientId: "b", text: "one more" } }],
      [`/api/sessions/${id}/stop`, { body: {} }],
      [`/api/sessions/${id}/share-links`, {}],
      [`/api/sessions/${id}/previews`, {}],
      [`/api/sessions/${id}/previews/3000/open`, {}],
      [`/api/sessions/${id}/pull-request`, { body: {} }],
      [`/api/sessions/${id}/participants/${bob.user.id}`, { method: "DELETE" }],
      [`/api/sessions/${id}/participants/${alice.user.id}`, { method: "DELETE" }],
    ] as const)
      await expectCode(await bob.api(path, init), 404, "not_found");
    const upgrade = await request(`/api/sessions/${id}/ws`, {
      headers: { Upgrade: "websocket", Authorization: `Bearer ${bob.token}`, Origin: ORIGIN },
    });
    expect(upgrade.webSocket).toBeNull();
    await expectCode(upgrade, 404, "not_found");
  });

  it("is removed by a cookie only with Tandem's own Origin", async () => {
    const alice = await signUp();
    const bob = await signUp();
    const id = await createSession(alice);
    await share(alice, id, bob, "viewer");
    const cookie = (await signInCookie(alice)).split(";")[0]!;
    const path = `/api/sessions/${id}/participants/${bob.user.id}`;
    for (const origin of [undefined, "http://evil.example"])
      await expectCode(
        await request(path, {
          method: "DELETE",
          headers: { cookie, ...(origin ? { origin } : {}) },
        }),
        403,
        "csrf_rejected",
      );
    expect((await bob.api(`/api/sessions/${id}`)).status).toBe(200);
    const allowed = await request(path, { method: "DELETE", headers: { cookie, origin: ORIGIN } });
    expect(allowed.status).toBe(200);
  });
});

describe("share links", () => {
  it("admit no one new once revoked", async () => {
    const alice = await signUp();
    const late = await signUp();
    const id = await createSession(alice);
    const { token, link } = await linkFor(alice, id, "collaborator");
    await alice.api(`/api/sessions/${id}/share-links/${link.id}`, { method: "DELETE" });
    await expectCode(
      await late.api(`/api/sessions/${id}/join`, { body: { token } }),
      410,
      "link_revoked",
    );
    expect((await late.api(`/api/sessions/${id}`)).status).toBe(404);
    expect((await TestSocket.open(late, id).catch((e: Error) => e)).toString()).toMatch(/404/);
  });

  it("admit no one new once expired, keeping those who joined in time", async () => {
    const alice = await signUp();
    const early = await signUp();
    const late = await signUp();
    const id = await createSession(alice);
    const created = await alice.api(`/api/sessions/${id}/share-links`, {
      body: { role: "collaborator", expiresInHours: 1 },
    });
    const { token } = (await created.json()) as { token: string };
    expect((await early.api(`/api/sessions/${id}/join`, { body: { token } })).status).toBe(200);
    // An hour passes: the link's expiry is moved into the past in the session's own storage.
    const stub = env.SESSION.get(env.SESSION.idFromName(id));
    await runInDurableObject(stub, (_instance, state) => {
      state.storage.sql.exec("UPDATE share_links SET expires_at = ?", Date.now() - 1);
    });
    await expectCode(
      await late.api(`/api/sessions/${id}/join`, { body: { token } }),
      410,
      "link_revoked",
    );
    expect((await late.api(`/api/sessions/${id}`)).status).toBe(404);
    expect((await early.api(`/api/sessions/${id}`)).status).toBe(200);
  });
});

describe("WebSocket upgrades", () => {
  it("are refused from a foreign Origin, with a token or a cookie, on every socket", async () => {
    const alice = await signUp();
    const id = await createSession(alice);
    const cookie = (await signInCookie(alice)).split(";")[0]!;
    const sockets = [`/api/sessions/${id}/ws`, "/api/repositories/acme/widgets/builds/ws"];
    for (const path of sockets) {
      for (const origin of ["https://evil.example", "null", "http://tandem.test.evil.example"]) {
        const auths: Record<string, string>[] = [
          { Authorization: `Bearer ${alice.token}` },
          { Cookie: cookie },
        ];
        for (const auth of auths) {
          const response = await request(path, {
            headers: { Upgrade: "websocket", Origin: origin, ...auth },
          });
          expect(response.webSocket, `${path} ${origin}`).toBeNull();
          await expectCode(response, 403, "origin_rejected");
        }
      }
    }
    const own = await TestSocket.open(alice, id, { Origin: ORIGIN });
    await own.next("hello");
    own.close();
  });
});

describe("browser cookies", () => {
  it("are HttpOnly and SameSite, and cleared on sign-out", async () => {
    const person = await signUp();
    const plain = await signInCookie(person);
    expect(plain).toMatch(/^tandem_session=aus_[^;]+;/);
    expect(plain).toMatch(/;\s*HttpOnly/i);
    expect(plain).toMatch(/;\s*SameSite=(Lax|Strict)/i);
    expect(plain).toMatch(/;\s*Path=\//i);
    const out = await request("/api/auth/session", {
      method: "DELETE",
      headers: { cookie: plain.split(";")[0]!, origin: ORIGIN },
    });
    expect(out.status).toBe(204);
    expect(out.headers.get("set-cookie")).toMatch(/^tandem_session=;.*Max-Age=0/i);
  });
});

describe("previews", () => {
  /** The preview's origin the open route sends `person` to, and the sign-in link there. */
  async function openLink(headers: Record<string, string>, sessionId: string, port: number) {
    const opened = await request(`/api/sessions/${sessionId}/previews/${port}/open`, {
      headers,
      redirect: "manual",
    });
    expect(opened.status).toBe(302);
    return new URL(opened.headers.get("location")!);
  }

  it("are served from an origin of their own, where Tandem's cookie and token sign no one in", async () => {
    const alice = await signUp();
    const id = await createSession(alice);
    await alice.api(`/api/sessions/${id}/previews`, { body: { port: 3000 } });
    const appCookie = (await signInCookie(alice)).split(";")[0]!;
    // The browser's own sign-in opens it (a GET from a link), and sends it elsewhere.
    const link = await openLink({ cookie: appCookie }, id, 3000);
    expect(link.origin).not.toBe(ORIGIN);
    expect(link.host).toBe(`${id.replace("_", "-")}--3000.localhost:8787`);
    expect(link.searchParams.get("token")).toMatch(/^pvg\./);
    // On the preview's origin, Tandem's own credentials are worth nothing, and the API is not there.
    const credentials: Record<string, string>[] = [
      { cookie: appCookie },
      { authorization: `Bearer ${alice.token}` },
    ];
    for (const headers of credentials)
      for (const path of ["/", "/api/sessions", `/api/sessions/${id}`])
        await expectCode(
          await exports.default.fetch(new Request(`${link.origin}${path}`, { headers })),
          401,
          "unauthenticated",
        );
  });

  it("sign in to one session's one port only", async () => {
    const alice = await signUp();
    const [first, second] = [await createSession(alice), await createSession(alice)];
    for (const id of [first, second])
      await alice.api(`/api/sessions/${id}/previews`, { body: { port: 3000 } });
    const link = await openLink({ authorization: `Bearer ${alice.token}` }, first, 3000);
    const landed = await exports.default.fetch(new Request(link, { redirect: "manual" }));
    expect(landed.status).toBe(302);
    const cookie = landed.headers.get("set-cookie")!.split(";")[0]!;
    const secondOrigin = link.origin.replace(first.replace("_", "-"), second.replace("_", "-"));
    await expectCode(
      await exports.default.fetch(new Request(`${secondOrigin}/`, { headers: { cookie } })),
      401,
      "unauthenticated",
    );
    // The first session's link does not sign in at the second's origin either.
    const moved = new URL(link);
    moved.host = new URL(secondOrigin).host;
    const refused = await exports.default.fetch(new Request(moved, { redirect: "manual" }));
    expect(refused.status).toBe(401);
    expect(refused.headers.get("set-cookie")).toBeNull();
  });
});

describe("stored credentials", () => {
  it("keeps personal API tokens only as SHA-256 hashes", async () => {
    const person = await signUp();
    const created = await person.api("/api/auth/tokens", { body: { name: "laptop" } });
    const { token, id } = (await created.json()) as { token: string; id: string };
    expect(token).toMatch(/^tdm_/);
    const row = await env.DB.prepare("SELECT * FROM api_tokens WHERE id = ?")
      .bind(id)
      .first<Record<string, unknown>>();
    expect(row).toMatchObject({ token_hash: await sha256Hex(token) });
    // Nowhere in the database, in any table, is a token kept in clear.
    const tables = await env.DB.prepare(
      "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite%' AND name NOT LIKE '\\_%' ESCAPE '\\' AND name NOT LIKE 'd1%'",
    ).all<{ name: string }>();
    for (const { name } of tables.results) {
      const dump = JSON.stringify((await env.DB.prepare(`SELECT * FROM "${name}"`).all()).results);
      expect(dump, name).not.toContain(token);
      expect(dump, name).not.toContain(person.token);
      expect(dump, name).not.toMatch(/tdm_[A-Za-z0-9_-]{43}/);
    }
  });

  it("keeps share link tokens only as hashes in the session", async () => {
    const alice = await signUp();
    const id = await createSession(alice);
    const { token } = await linkFor(alice, id, "viewer");
    const stub = env.SESSION.get(env.SESSION.idFromName(id));
    const rows = await runInDurableObject(stub, (_instance, state) =>
      state.storage.sql.exec("SELECT * FROM share_links").toArray(),
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ token_hash: await sha256Hex(token) });
    expect(JSON.stringify(rows)).not.toContain(token);
  });
});
