// Requests on a preview's own origin, with random methods, paths, queries, cookies, links, origins,
// upgrades and bodies: each gets a redirect or a typed error, and none gets past the preview's
// sign-in without a valid cookie for that very preview.
import fc from "fast-check";
import { exports } from "cloudflare:workers";
import { env } from "cloudflare:workers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ERROR_CODES, ErrorCodeSchema, ErrorBodySchema } from "../../protocol/errors.ts";
import { issueGrant } from "../../worker/previews/preview-token.ts";
import { headerText, method, pathSegment, queryString, stringNear } from "./arbitraries.ts";
import { fuzz } from "./fuzz-run.ts";
import { createWorld, endWorld, type World } from "./fuzz-world.ts";

const RUNS = 150;
const PORT = 3000;

/** The preview's origin of `sessionId` and `port` under the test's PREVIEW_URL. */
const originOf = (sessionId: string, port: number) =>
  `http://${sessionId.replace("_", "-")}--${port}.localhost:8787`;

/** What one answer on a preview's origin may be. */
async function expectPreviewAnswer(response: Response, sent: string, signedIn: boolean) {
  if (response.webSocket) throw new Error(`${sent} opened a socket to a sandbox that has none`);
  const text = await response.text();
  if (response.status === 302) return;
  if (response.status < 400)
    throw new Error(`${sent} answered ${response.status}: ${text.slice(0, 200)}`);
  if (sent.startsWith("HEAD ")) return;
  let code: string | undefined;
  if ((response.headers.get("content-type") ?? "").startsWith("text/html")) {
    code = /Code: <code>([a-z_]+)<\/code>/.exec(text)?.[1];
  } else {
    const parsed = ErrorBodySchema.safeParse(JSON.parse(text));
    if (!parsed.success)
      throw new Error(`${sent} answered an untyped ${response.status}: ${text.slice(0, 300)}`);
    code = parsed.data.error.code;
  }
  const known = ErrorCodeSchema.safeParse(code);
  if (!known.success) throw new Error(`${sent} answered ${response.status} without a code`);
  expect(ERROR_CODES[known.data].status, sent).toBe(response.status);
  // Past the sign-in, the session says whether its sandbox serves; before it, nothing is asked.
  const pastSignIn = ["sandbox_not_running", "origin_rejected", "not_found"];
  if (!signedIn && pastSignIn.includes(known.data) && !sent.includes("/__tandem/"))
    throw new Error(`${sent} got past the preview's sign-in: ${known.data}`);
  if (response.status >= 500 && known.data !== "sandbox_not_running")
    throw new Error(`${sent} answered ${response.status}: ${text.slice(0, 300)}`);
}

describe("a preview's origin under random input", () => {
  let world: World;
  let cookie: string;

  beforeAll(async () => {
    world = await createWorld();
    // A published port of a session without a sandbox, and a person signed in to it.
    const exposed = await world.owner.api(`/api/sessions/${world.idleSession}/previews`, {
      body: { port: PORT },
    });
    expect(exposed.status).toBe(201);
    const link = await issueGrant(
      { sessionId: world.idleSession, port: PORT, userId: world.owner.user.id },
      env.SESSION_SECRET,
      Date.now(),
    );
    const landed = await exports.default.fetch(
      new Request(`${originOf(world.idleSession, PORT)}/__tandem/preview-auth?token=${link}`, {
        redirect: "manual",
      }),
    );
    cookie = landed.headers.get("set-cookie")!.split(";")[0]!;
  });
  afterAll(async () => {
    await endWorld(world);
  });

  it(
    "answers every request with a redirect or a typed error, and signs no one in by accident",
    { timeout: 60_000 },
    async () => {
      const credential = fc.oneof(
        { arbitrary: fc.constant("valid" as const), weight: 4 },
        { arbitrary: fc.constant("none" as const), weight: 2 },
        { arbitrary: headerText(80).map((text) => `tandem_preview=${text}`), weight: 1 },
        { arbitrary: fc.constant("tandem_preview=pvc.e30.AAAA"), weight: 1 },
        { arbitrary: headerText(80).map((text) => `tandem_session=${text}`), weight: 1 },
      );
      const target = fc.oneof(
        { arbitrary: fc.constant({ session: "world" as const, port: PORT }), weight: 6 },
        {
          arbitrary: fc
            .integer({ min: 1, max: 65_535 })
            .map((port) => ({ session: "world" as const, port })),
          weight: 1,
        },
        { arbitrary: fc.constant({ session: "other" as const, port: PORT }), weight: 1 },
      );
      const path = fc.oneof(
        {
          arbitrary: fc.array(pathSegment, { maxLength: 3 }).map((parts) => `/${parts.join("/")}`),
          weight: 4,
        },
        { arbitrary: fc.constant("/__tandem/preview-auth"), weight: 2 },
        {
          arbitrary: fc.constantFrom("/api/sessions", "/api/health", "/", "/index.html"),
          weight: 1,
        },
      );
      const call = fc.record({
        credential,
        target,
        path,
        query: fc.oneof(
          queryString,
          stringNear(200).map((token) => `?token=${encodeURIComponent(token)}`),
        ),
        method,
        origin: fc.option(
          fc.constantFrom("http://evil.example", "null", originOf(world.idleSession, PORT)),
          { freq: 3 },
        ),
        upgrade: fc.option(fc.constantFrom("websocket", "h2c"), { freq: 4 }),
        body: fc.option(fc.string({ maxLength: 200 }), { freq: 2 }),
      });
      await fuzz(
        "preview origin",
        fc.asyncProperty(call, async (c) => {
          const sessionId = c.target.session === "world" ? world.idleSession : world.heldSession;
          const url = `${originOf(sessionId, c.target.port)}${c.path}${c.query}`;
          const headers: Record<string, string> = {};
          if (c.credential === "valid") headers.cookie = cookie;
          else if (c.credential !== "none") headers.cookie = c.credential;
          if (c.origin) headers.origin = c.origin;
          if (c.upgrade) headers.upgrade = c.upgrade;
          const hasBody = c.body !== null && c.method !== "GET" && c.method !== "HEAD";
          const response = await exports.default.fetch(
            new Request(url, {
              method: c.method,
              headers,
              redirect: "manual",
              ...(hasBody ? { body: c.body } : {}),
            }),
          );
          const signedIn =
            c.credential === "valid" && c.target.session === "world" && c.target.port === PORT;
          await expectPreviewAnswer(
            response,
            `${c.method} ${url} (${String(c.credential).slice(0, 40)})`,
            signedIn,
          );
        }),
        RUNS,
      );
    },
  );
});
