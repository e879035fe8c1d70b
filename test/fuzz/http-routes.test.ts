// Every HTTP route, called with random methods, paths, queries, headers and bodies, answers with
// a success or a typed 4xx error; never a 500, never a crash.
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ORIGIN, request } from "../integration/helpers.ts";
import { contentType, headerText, method, queryString, rawBody, jsonValue } from "./arbitraries.ts";
import { fuzz } from "./fuzz-run.ts";
import { createWorld, endWorld, type World } from "./fuzz-world.ts";
import { authRoutes, otherRoutes, pathOf, repositoryRoutes, sessionRoutes, type RouteCase } from "./routes.ts";
import { expectTypedAnswer } from "./typed-answer.ts";

/** Runs per route group; each run is one request. */
const RUNS_PER_GROUP = 100;

const auth = fc.oneof(
  { arbitrary: fc.constant("owner" as const), weight: 8 },
  { arbitrary: fc.constantFrom("stranger" as const, "none" as const), weight: 2 },
  { arbitrary: headerText(60).map((text) => ({ authorization: text })), weight: 1 },
  { arbitrary: headerText(60).map((text) => ({ cookie: `tandem_session=${text}` })), weight: 1 },
);
const origin = fc.oneof(
  { arbitrary: fc.constant(undefined), weight: 6 },
  { arbitrary: fc.constantFrom(ORIGIN, "http://evil.example", "null", ""), weight: 2 },
  { arbitrary: headerText(40), weight: 1 },
);
const upgradeHeader = fc.constantFrom(undefined, "websocket", "WebSocket", "h2c", "", "websocket, foo");
const webhookHeaders = fc.record(
  {
    "X-Hub-Signature-256": fc.oneof(headerText(80), fc.stringMatching(/^sha256=[0-9a-f]{64}$/)),
    "X-GitHub-Event": fc.oneof(fc.constantFrom("push", "pull_request", "installation_repositories", "ping"), headerText(120)),
    "X-GitHub-Delivery": headerText(120),
  },
  { requiredKeys: [] },
);

/** One generated call of a route. */
function callOf(route: RouteCase, world: World) {
  return fc.record({
    route: fc.constant(route),
    path: pathOf(route.template, world),
    query: queryString,
    otherMethod: fc.option(method, { freq: 8 }),
    auth,
    origin,
    contentType,
    body: rawBody(route.body ?? jsonValue),
    upgrade: route.upgrade ? upgradeHeader : fc.constant(undefined),
    webhook: route.webhook ? webhookHeaders : fc.constant({}),
  });
}
type Call = ReturnType<typeof callOf> extends fc.Arbitrary<infer T> ? T : never;

async function send(call: Call, world: World): Promise<void> {
  const verb = call.otherMethod ?? call.route.method;
  const headers: Record<string, string> = { ...call.webhook };
  if (call.auth === "owner") headers.Authorization = `Bearer ${world.owner.token}`;
  else if (call.auth === "stranger") headers.Authorization = `Bearer ${world.stranger.token}`;
  else if (call.auth !== "none") Object.assign(headers, call.auth);
  if (call.origin !== undefined) headers.Origin = call.origin;
  if (call.contentType !== undefined) headers["Content-Type"] = call.contentType;
  if (call.upgrade !== undefined) headers.Upgrade = call.upgrade;
  const path = `${call.path}${call.query}`;
  const hasBody = verb !== "GET" && verb !== "HEAD" && call.body !== undefined;
  const response = await request(path, {
    method: verb,
    headers,
    ...(hasBody ? { body: call.body } : {}),
  });
  await expectTypedAnswer(response, { method: verb, path, note: `auth ${JSON.stringify(call.auth)}`,
  });
}

describe("HTTP routes under random input", () => {
  let world: World;
  beforeAll(async () => {
    world = await createWorld();
  });
  afterAll(async () => {
    await endWorld(world);
  });

  /** Both sessions still answer after a group of hostile calls. */
  async function expectStillServing(): Promise<void> {
    for (const id of [world.idleSession, world.heldSession]) {
      const response = await world.owner.api(`/api/sessions/${id}`);
      expect(response.status).toBe(200);
    }
    expect((await request("/api/health")).status).toBe(200);
  }

  const groups: [string, RouteCase[]][] = [
    ["auth", authRoutes],
    ["sessions", sessionRoutes],
    ["repositories", repositoryRoutes],
    ["stats, webhook and unknown paths", otherRoutes],
  ];
  for (const [name, routes] of groups) {
    it(`answers every ${name} route with a success or a typed 4xx error`, { timeout: 60_000 }, async () => {
      const calls = fc.constantFrom(...routes).chain((route) => callOf(route, world));
      await fuzz(name, fc.asyncProperty(calls, (call) => send(call, world)), RUNS_PER_GROUP);
      await expectStillServing();
    });
  }
});
