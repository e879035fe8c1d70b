// Tandem's secrets with GitHub configured: people's GitHub tokens sealed at rest and bound to their
// owner, sign-in cookies out of scripts' reach, webhooks refused unless GitHub signed exactly
// these bytes, and no token in events, logs, a sandbox or its snapshot after a pull request flow.
import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it, vi } from "vitest";
import { SecretBox } from "../../crypto/secret-box.ts";
import { webhookSignature } from "../../github/webhook-signature.ts";
import type { SessionEvent } from "../../protocol/events.ts";
import { sandboxProviderFrom } from "../../sandbox/configured-provider.ts";
import { ORIGIN, request } from "../integration/helpers.ts";
import type { GitHubTestWorld } from "./setup.ts";
import { putModelScript } from "../support/model-script.ts";

const world = JSON.parse(env.TEST_GITHUB_WORLD) as GitHubTestWorld;
const gh = world.github.url;
const GITHUB_TOKEN = /gh[pousr]_[A-Za-z0-9]{8}/;

interface SignedIn {
  userId: string;
  cookie: string;
  /** Every Set-Cookie header the start and the callback answered with. */
  setCookies: { start: string[]; callback: string[] };
  api(path: string, body?: unknown): Promise<Response>;
}

/** Signs `login` in through GitHub as a browser would. */
async function signIn(login: string): Promise<SignedIn> {
  const start = await request("/api/auth/github/start?returnTo=/sessions", { redirect: "manual" });
  const startCookies = start.headers.getSetCookie();
  const authorize = new URL(start.headers.get("location")!);
  authorize.searchParams.set("login", login);
  const approved = await fetch(authorize, { redirect: "manual" });
  const callback = new URL(approved.headers.get("location")!);
  const signedIn = await request(`${callback.pathname}${callback.search}`, {
    redirect: "manual",
    headers: { cookie: startCookies[0]!.split(";")[0]! },
  });
  expect(signedIn.status).toBe(302);
  const callbackCookies = signedIn.headers.getSetCookie();
  const cookie = callbackCookies
    .map((c) => c.split(";")[0]!)
    .find((c) => c.startsWith("tandem_session="))!;
  const api = (path: string, body?: unknown) =>
    request(path, {
      method: body === undefined ? "GET" : "POST",
      headers: { cookie, origin: ORIGIN, "content-type": "application/json" },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  const me = (await (await api("/api/auth/me")).json()) as { user: { userId: string } };
  return {
    userId: me.user.userId,
    cookie,
    setCookies: { start: startCookies, callback: callbackCookies },
    api,
  };
}

/** The GitHub tokens stored for `userId`, opened with the deployment's key. */
async function storedTokens(userId: string) {
  const row = await env.DB.prepare(
    "SELECT access_sealed, refresh_sealed FROM github_accounts WHERE user_id = ?",
  )
    .bind(userId)
    .first<{ access_sealed: string; refresh_sealed: string | null }>();
  expect(row).not.toBeNull();
  const box = new SecretBox([world.encryptionKey]);
  return {
    row: row!,
    access: await box.open(row!.access_sealed, `github:${userId}:access`),
    refresh: row!.refresh_sealed
      ? await box.open(row!.refresh_sealed, `github:${userId}:refresh`)
      : null,
  };
}

function webhook(
  body: Uint8Array<ArrayBuffer>,
  headers: Record<string, string>,
): Promise<Response> {
  return request("/api/github/webhook", {
    method: "POST",
    headers: { "content-type": "application/json", "x-github-event": "push", ...headers },
    body,
  });
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe("GitHub secrets", () => {
  it("seals each person's GitHub tokens in D1, bound to that person", async () => {
    const alice = await signIn("alice");
    const carol = await signIn("carol");
    const { row, access, refresh } = await storedTokens(alice.userId);
    expect(row.access_sealed).toMatch(/^v1\.[^.]+\.[^.]+\.[^.]+$/);
    expect(access).toMatch(/^ghu_/);
    expect(row.access_sealed).not.toContain(access!);
    if (row.refresh_sealed !== null) {
      expect(row.refresh_sealed).toMatch(/^v1\./);
      expect(refresh).toMatch(/^ghr_/);
      expect(row.refresh_sealed).not.toContain(refresh!);
    }
    // A sealed value copied into another person's row does not open there.
    const box = new SecretBox([world.encryptionKey]);
    expect(await box.open(row.access_sealed, `github:${carol.userId}:access`)).toBeNull();
    // And without the deployment's key it does not open at all.
    const otherKey = new SecretBox(["a-different-key-of-at-least-32-characters!!"]);
    expect(await otherKey.open(row.access_sealed, `github:${alice.userId}:access`)).toBeNull();
    // No column of any table holds either token in clear.
    const tables = await env.DB.prepare(
      "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite%' AND name NOT LIKE '\\_%' ESCAPE '\\' AND name NOT LIKE 'd1%'",
    ).all<{ name: string }>();
    for (const { name } of tables.results) {
      const dump = JSON.stringify((await env.DB.prepare(`SELECT * FROM "${name}"`).all()).results);
      expect(dump, name).not.toContain(access!);
      if (refresh) expect(dump, name).not.toContain(refresh);
      expect(dump, name).not.toMatch(GITHUB_TOKEN);
    }
  });

  it("sets HttpOnly SameSite cookies when signing in with GitHub, and clears the pending one", async () => {
    const alice = await signIn("alice");
    const pending = alice.setCookies.start.find((c) => c.startsWith("tandem_github_sign_in="))!;
    expect(pending).toMatch(/;\s*HttpOnly/i);
    expect(pending).toMatch(/;\s*SameSite=(Lax|Strict)/i);
    expect(pending).toMatch(/;\s*Path=\/api\/auth\/github/i);
    // What the pending cookie holds (state, PKCE verifier) is encrypted, not readable.
    expect(pending).not.toMatch(/verifier|returnTo|sessions/);
    const session = alice.setCookies.callback.find((c) => c.startsWith("tandem_session="))!;
    expect(session).toMatch(/;\s*HttpOnly/i);
    expect(session).toMatch(/;\s*SameSite=(Lax|Strict)/i);
    expect(session).toMatch(/;\s*Path=\//i);
    const cleared = alice.setCookies.callback.find((c) => c.startsWith("tandem_github_sign_in="))!;
    expect(cleared).toMatch(/Max-Age=0|Expires=Thu, 01 Jan 1970/i);
  });

  it("refuses webhooks GitHub did not sign over exactly these bytes, and records none of them", async () => {
    const guid = crypto.randomUUID();
    const payload = {
      ref: "refs/heads/main",
      after: "1".repeat(40),
      repository: { full_name: "demo/stats", default_branch: "main" },
    };
    const body = new TextEncoder().encode(JSON.stringify(payload));
    const tampered = new TextEncoder().encode(
      JSON.stringify({ ...payload, after: "2".repeat(40) }),
    );
    const good = await webhookSignature(world.github.webhookSecret, body);
    const attempts: Record<string, string>[] = [
      {},
      { "x-hub-signature-256": await webhookSignature("not-the-secret", body) },
      { "x-hub-signature-256": good.replace(/.$/, (ch) => (ch === "0" ? "1" : "0")) },
      { "x-hub-signature-256": good.replace("sha256=", "sha1=") },
      { "x-hub-signature-256": good.replace("sha256=", "") },
      { "x-hub-signature-256": "sha256=" },
      { "x-hub-signature": good.replace("sha256=", "sha1=") },
    ];
    for (const headers of attempts) {
      const refused = await webhook(body, { "x-github-delivery": guid, ...headers });
      expect(refused.status, JSON.stringify(headers)).toBe(401);
      expect(await refused.json()).toMatchObject({ error: { code: "unauthenticated" } });
    }
    // A genuine signature over other bytes does not carry over to a tampered body.
    const swapped = await webhook(tampered, {
      "x-github-delivery": guid,
      "x-hub-signature-256": good,
    });
    expect(swapped.status).toBe(401);
    const recorded = await env.DB.prepare(
      "SELECT COUNT(*) AS n FROM webhook_deliveries WHERE id = ?",
    )
      .bind(guid)
      .first<{ n: number }>();
    expect(recorded!.n).toBe(0);
    // None of the refused deliveries was recorded: the real one is still handled as new.
    const real = await webhook(body, { "x-github-delivery": guid, "x-hub-signature-256": good });
    expect(real.status).toBe(200);
    expect(await real.json()).toMatchObject({ duplicate: false });
  });

  it.skipIf(!("url" in world.sandboxHost))(
    "keeps every token out of events, log lines, the sandbox and its snapshot through a pull request",
    async () => {
      const lines: string[] = [];
      for (const method of ["log", "info", "warn", "error", "debug"] as const) {
        vi.spyOn(console, method).mockImplementation((...args: unknown[]) => {
          lines.push(args.map((a) => (typeof a === "string" ? a : JSON.stringify(a))).join(" "));
        });
      }
      const alice = await signIn("alice");
      const { access, refresh } = await storedTokens(alice.userId);
      const hostToken = "token" in world.sandboxHost ? world.sandboxHost.token : "";
      const secrets = [
        access!,
        ...(refresh ? [refresh] : []),
        world.github.clientSecret,
        world.github.webhookSecret,
        world.encryptionKey,
        hostToken,
        env.SESSION_SECRET,
        ...world.github.privateKey
          .split("\n")
          .filter((line) => line.length >= 40 && !line.startsWith("-----")),
      ].filter((s) => s.length > 0);

      expect(
        (
          await alice.api("/api/repositories", {
            repo: "demo/stats",
            cloneUrl: `${gh}/demo/stats.git`,
            warmPoolSize: 0,
          })
        ).status,
      ).toBeLessThan(500);
      const head = await fetch(`${gh}/repos/demo/stats/branches/main`, {
        headers: { authorization: `Bearer ${access}` },
      });
      const commit = ((await head.json()) as { commit: { sha: string } }).commit.sha;
      const built = (await (
        await alice.api("/api/repositories/demo/stats/images", { commit })
      ).json()) as {
        imageId?: string;
      };
      await expect
        .poll(
          async () =>
            (
              (await (await alice.api("/api/repositories/demo/stats")).json()) as {
                pool: { currentImageId: string | null; building: unknown };
              }
            ).pool,
          { timeout: 40_000 },
        )
        .toMatchObject({ building: null, currentImageId: expect.stringMatching(/^img_/) });
      expect(built.imageId ?? "conflict").toBeTruthy();

      const script = await putModelScript(world.modelUrl, "security-github", {
        responses: [
          {
            content: [
              {
                type: "tool_use",
                name: "run_command",
                input: {
                  command:
                    "env > env-seen.txt; git config --list >> env-seen.txt; git remote -v >> env-seen.txt; echo scanned > SECURITY.md",
                },
              },
            ],
          },
          { content: [{ type: "text", text: "Added SECURITY.md." }] },
        ],
      });
      expect(script.status).toBe(200);
      const created = (await (
        await alice.api("/api/sessions", {
          repo: "demo/stats",
          title: "Security scan",
          prompt: { clientId: "s", text: "Add a security note [script:security-github]" },
        })
      ).json()) as { session: { id: string } };
      const sessionId = created.session.id;
      const eventsNow = async () =>
        (
          (await (await alice.api(`/api/sessions/${sessionId}/events?limit=1000`)).json()) as {
            events: SessionEvent[];
          }
        ).events;
      await expect
        .poll(async () => (await eventsNow()).some((e) => e.type === "pull_request.published"), {
          timeout: 40_000,
        })
        .toBe(true);

      const events = await eventsNow();
      const eventText = JSON.stringify(events);
      expect(eventText).not.toMatch(GITHUB_TOKEN);
      for (const secret of secrets) expect(eventText).not.toContain(secret);
      const logText = lines.join("\n");
      expect(logText).not.toMatch(GITHUB_TOKEN);
      for (const secret of secrets) expect(logText).not.toContain(secret);

      const provider = sandboxProviderFrom(env)!;
      const sandboxId = events
        .flatMap((e) => (e.type === "sandbox.status" && e.data.sandboxId ? [e.data.sandboxId] : []))
        .at(-1)!;
      // Patterns come in on stdin, so they never sit in a file or command line the scan would find.
      // The shape search skips /usr: the host's read-only system files, where the sandbox writes
      // nothing and some of which happen to contain gh-prefixed words.
      const scan = (id: string) =>
        provider
          .exec(id, {
            argv: [
              "bash",
              "-c",
              `cat > /tmp/patterns
               test -s /workspace/env-seen.txt && echo seen
               { env; for f in /proc/[0-9]*/environ; do tr '\\0' '\\n' < "$f" 2>/dev/null; done; } | grep -E 'gh[pousr]_[A-Za-z0-9]{8}' -c
               { env; for f in /proc/[0-9]*/environ; do tr '\\0' '\\n' < "$f" 2>/dev/null; done; } | grep -F -f /tmp/patterns -c
               grep -rIlE 'gh[pousr]_[A-Za-z0-9]{8}' / --exclude-dir=proc --exclude-dir=sys --exclude-dir=usr --exclude=patterns 2>/dev/null
               grep -rIl -F -f /tmp/patterns / --exclude-dir=proc --exclude-dir=sys --exclude=patterns 2>/dev/null
               rm -f /tmp/patterns; true`,
            ],
            stdin: btoa(`${secrets.join("\n")}\n`),
            timeoutMs: 60_000,
          })
          .then((r) => atob(r.stdout));
      expect(await scan(sandboxId)).toBe("seen\n0\n0\n");
      // Every byte of a snapshot taken after the turn is the sandbox's own layer; unpacked into a
      // fresh sandbox, it is on disk to scan.
      const snapshot = await provider.snapshot(sandboxId);
      const restored = await provider.createSandbox({ from: { snapshotId: snapshot.id } });
      try {
        expect(await scan(restored.id)).toBe("seen\n0\n0\n");
      } finally {
        await provider.destroySandbox(restored.id);
        await provider.deleteSnapshot(snapshot.id).catch(() => {});
      }
    },
  );
});
