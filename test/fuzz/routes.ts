// Every HTTP route of the API with a generator for its body, as the fuzz properties call them.
import fc from "fast-check";
import { field, pathSegment, shapedBody, stringNear, wrongType, jsonValue } from "./arbitraries.ts";

/** The people and things a fuzz run calls routes against. */
export interface FuzzWorld {
  /** A session whose turn never ends, so prompts sent to it only queue. */
  heldSession: string;
  /** A session with nothing running, for stop, settings, sharing and the socket upgrade. */
  idleSession: string;
  /** A registered repository as `owner/name`. */
  repo: string;
  /** The owner of both sessions, whom no one may remove. */
  ownerId: string;
}

/** One route: its method, its path with placeholders, and what its body may hold. */
export interface RouteCase {
  method: string;
  /** Placeholders: {idle}, {held}, {repo}, {seg}, {port}, {user}. */
  template: string;
  body?: fc.Arbitrary<unknown>;
  /** The route upgrades to a WebSocket, so Upgrade and Origin headers are fuzzed too. */
  upgrade?: boolean;
  /** The route checks GitHub's delivery headers. */
  webhook?: boolean;
}

const shortText = (max: number) => fc.string({ maxLength: max });
const model = fc.oneof(fc.constantFrom("claude-sonnet-4", "a", "m:1@x/y"), shortText(20));
const clientId = fc.stringMatching(/^[A-Za-z0-9_.:-]{1,64}$/);
const invalidCommit = fc.stringMatching(/^([0-9a-f]{0,6}|[0-9a-f]{65,70}|[g-z]{7,10}|[0-9A-F]{7,9})$/);
const recipe = fc.oneof(
  jsonValue,
  shapedBody({
    version: field(fc.constantFrom(1, 2)),
    setup: field(fc.array(shortText(20), { maxLength: 3 })),
    warmup: field(fc.array(shapedBody({ name: field(shortText(10)), run: field(shortText(20)) }), { maxLength: 2 })),
  }),
);

/** The routes under /api/auth. */
export const authRoutes: RouteCase[] = [
  { method: "GET", template: "/api/auth/providers" },
  { method: "POST", template: "/api/auth/session", body: shapedBody({ token: field(shortText(200), 200) }) },
  { method: "GET", template: "/api/auth/me" },
  { method: "DELETE", template: "/api/auth/session" },
  { method: "GET", template: "/api/auth/tokens" },
  { method: "POST", template: "/api/auth/tokens", body: shapedBody({ name: field(shortText(100), 100) }) },
  { method: "DELETE", template: "/api/auth/tokens/{seg}" },
  { method: "GET", template: "/api/auth/github/start" },
  { method: "GET", template: "/api/auth/github/callback" },
];

/** The routes under /api/sessions. */
export const sessionRoutes: RouteCase[] = [
  {
    method: "POST",
    template: "/api/sessions",
    body: shapedBody({
      repo: field(fc.constantFrom("acme/widgets", "a/b", `${"o".repeat(39)}/${"n".repeat(100)}`), 141),
      title: field(shortText(200), 200),
      // A valid first prompt would start a real turn; only broken ones are sent.
      prompt: fc.oneof(wrongType, shapedBody({ clientId: wrongType, text: field(shortText(10), 32_000) })),
      model: field(model, 100),
      spendLimitUsd: field(fc.double({ min: -1, max: 20_000 })),
    }),
  },
  { method: "GET", template: "/api/sessions" },
  { method: "GET", template: "/api/sessions/{idle}" },
  {
    method: "PATCH",
    template: "/api/sessions/{idle}/settings",
    body: shapedBody({
      model: field(fc.option(model), 100),
      spendLimitUsd: field(fc.option(fc.double({ min: -1, max: 20_000 }))),
    }),
  },
  { method: "GET", template: "/api/sessions/{idle}/events" },
  {
    method: "POST",
    template: "/api/sessions/{held}/prompts",
    body: shapedBody({ clientId: field(clientId, 64), text: field(shortText(50), 32_000) }),
  },
  { method: "DELETE", template: "/api/sessions/{held}/prompts/{seg}" },
  { method: "POST", template: "/api/sessions/{idle}/stop" },
  { method: "POST", template: "/api/sessions/{idle}/pull-request" },
  { method: "GET", template: "/api/sessions/{idle}/share-links" },
  {
    method: "POST",
    template: "/api/sessions/{idle}/share-links",
    body: shapedBody({
      role: field(fc.constantFrom("collaborator", "viewer", "owner", "admin")),
      expiresInHours: field(fc.integer({ min: -5, max: 3_000 })),
    }),
  },
  { method: "DELETE", template: "/api/sessions/{idle}/share-links/{seg}" },
  { method: "DELETE", template: "/api/sessions/{idle}/participants/{user}" },
  {
    method: "POST",
    template: "/api/sessions/{idle}/join",
    body: shapedBody({ token: field(shortText(200), 200) }),
  },
  { method: "GET", template: "/api/sessions/{idle}/ws", upgrade: true },
  { method: "GET", template: "/api/sessions/{idle}/team" },
  { method: "GET", template: "/api/sessions/{idle}/pipelines" },
  { method: "GET", template: "/api/sessions/{idle}/pipeline-runs" },
  {
    method: "POST",
    template: "/api/sessions/{idle}/pipeline-runs",
    // No pipeline is registered in the fuzz world, so a valid body names an unknown pipeline.
    body: shapedBody({
      pipeline: field(fc.oneof(fc.stringMatching(/^[a-z][a-z0-9-]{0,39}$/), shortText(50)), 40),
      request: field(shortText(50), 20_000),
      clientId: field(clientId, 100),
    }),
  },
  { method: "GET", template: "/api/sessions/{idle}/pipeline-runs/{seg}" },
  { method: "GET", template: "/api/sessions/{idle}/previews" },
  {
    method: "POST",
    template: "/api/sessions/{idle}/previews",
    body: shapedBody({
      port: field(fc.oneof(fc.integer({ min: 1, max: 65_535 }), fc.integer({ min: -5, max: 70_000 }))),
      label: field(shortText(20), 60),
    }),
  },
  { method: "DELETE", template: "/api/sessions/{idle}/previews/{port}" },
  { method: "GET", template: "/api/sessions/{idle}/previews/{port}/open" },
];

/** The routes under /api/repositories. */
export const repositoryRoutes: RouteCase[] = [
  {
    method: "POST",
    template: "/api/repositories",
    body: shapedBody({
      repo: field(fc.stringMatching(/^[a-z]{1,8}\/[a-z]{1,8}$/), 141),
      cloneUrl: field(fc.constantFrom("file:///nonexistent", "https://example.invalid/x.git"), 2_000),
      defaultBranch: field(shortText(20), 255),
      recipe,
      warmPoolSize: field(fc.integer({ min: -2, max: 25 })),
    }),
  },
  { method: "GET", template: "/api/repositories" },
  { method: "GET", template: "/api/repositories/{repo}" },
  { method: "PUT", template: "/api/repositories/{repo}/recipe", body: shapedBody({ recipe }) },
  { method: "GET", template: "/api/repositories/{repo}/images" },
  // A valid commit would start a real build; only broken ones are sent.
  { method: "POST", template: "/api/repositories/{repo}/images", body: shapedBody({ commit: fc.oneof(wrongType, invalidCommit) }) },
  { method: "POST", template: "/api/repositories/{repo}/prewarm" },
  { method: "GET", template: "/api/repositories/{repo}/images/{seg}/log" },
  { method: "GET", template: "/api/repositories/{repo}/builds/ws", upgrade: true },
  { method: "GET", template: "/api/repositories/{repo}/pipelines" },
  { method: "GET", template: "/api/repositories/{repo}/pipelines/{seg}" },
  {
    method: "PUT",
    template: "/api/repositories/{repo}/pipelines/{seg}",
    body: fc.oneof(
      jsonValue,
      shapedBody({
        max_rounds: field(fc.integer({ min: -2, max: 20 })),
        roles: field(
          fc.array(
            shapedBody({
              name: field(fc.oneof(fc.constantFrom("plan", "end", "Bad"), shortText(10)), 40),
              instructions: field(shortText(30), 8_000),
              input: field(fc.array(jsonValue, { maxLength: 2 })),
              next: field(fc.array(shapedBody({ goto: field(shortText(10)) }), { maxLength: 2 })),
            }),
            { maxLength: 3 },
          ),
        ),
      }),
    ),
  },
  { method: "GET", template: "/api/repositories/{repo}/pipelines/{seg}/roles/{seg}/notes" },
  {
    method: "POST",
    template: "/api/repositories/{repo}/pipelines/{seg}/roles/{seg}/notes",
    body: shapedBody({ text: field(shortText(50), 4_000) }),
  },
];

/** Health, stats, the GitHub webhook and paths no route serves. */
export const otherRoutes: RouteCase[] = [
  { method: "GET", template: "/api/health" },
  { method: "GET", template: "/api/stats" },
  { method: "GET", template: "/api/stats/active-now" },
  { method: "POST", template: "/api/github/webhook", body: jsonValue, webhook: true },
  { method: "GET", template: "/api/{seg}/{seg}" },
  { method: "POST", template: "/{seg}" },
  { method: "GET", template: "/api/sessions/{seg}/{seg}/{seg}" },
  { method: "GET", template: "/api/orgs/{seg}/routing" },
  {
    method: "PUT",
    template: "/api/orgs/{seg}/routing",
    body: shapedBody({ spaces: field(fc.array(jsonValue, { maxLength: 3 })) }),
  },
  { method: "POST", template: "/api/orgs/{seg}/routing/discover" },
  {
    method: "POST",
    template: "/api/requests",
    body: shapedBody({
      org: field(shortText(40), 39),
      text: field(shortText(50), 20_000),
      clientId: field(clientId, 100),
      fanOut: field(fc.boolean()),
      space: field(shortText(40), 40),
    }),
  },
];

/** A concrete path for a route's template: mostly the world's own ids, sometimes random ones. */
export function pathOf(template: string, world: FuzzWorld): fc.Arbitrary<string> {
  const parts = template.split(/(\{[a-z]+\})/).filter((part) => part !== "");
  const arbs = parts.map((part): fc.Arbitrary<string> => {
    switch (part) {
      case "{idle}":
        return fc.oneof({ arbitrary: fc.constant(world.idleSession), weight: 4 }, { arbitrary: pathSegment, weight: 1 });
      case "{held}":
        return fc.oneof({ arbitrary: fc.constant(world.heldSession), weight: 4 }, { arbitrary: pathSegment, weight: 1 });
      case "{repo}":
        return fc.oneof(
          { arbitrary: fc.constant(world.repo), weight: 4 },
          { arbitrary: fc.tuple(pathSegment, pathSegment).map(([a, b]) => `${a}/${b}`), weight: 1 },
        );
      case "{seg}":
        return fc.oneof(pathSegment, stringNear(64).map(encodeURIComponent));
      case "{user}":
        return fc.oneof(
          { arbitrary: fc.constant(world.ownerId), weight: 2 },
          { arbitrary: fc.stringMatching(/^usr_[0-9a-hjkmnp-tv-z]{26}$/), weight: 2 },
          { arbitrary: pathSegment, weight: 1 },
        );
      case "{port}":
        return fc.oneof(
          { arbitrary: fc.integer({ min: 1, max: 65_535 }).map(String), weight: 3 },
          { arbitrary: fc.constantFrom("0", "65536", "03000", "-1", "3000.5"), weight: 1 },
          { arbitrary: pathSegment, weight: 1 },
        );
      default:
        return fc.constant(part);
    }
  });
  return fc.tuple(...arbs).map((values) => values.join(""));
}
