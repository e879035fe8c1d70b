// POST /api/requests: a request sent to an organisation. The router picks the space that owns it
// and opens a session there (announced in its timeline), fans it out when it spans spaces, or asks
// the person once which space they mean. POST /api/orgs/:org/routing/discover proposes a guide.
import { Hono } from "hono";
import { classifyRequest, type AskUsage } from "../../orchestration/routing/classifier.ts";
import { TandemError } from "../../protocol/errors.ts";
import { OrgSchema, RouteRequestBodySchema, type Space } from "../../protocol/routing.ts";
import { requireUser } from "../auth/middleware.ts";
import { jsonBody, orThrow, parse, type AppContext, type AppEnv } from "../http.ts";
import { openSession } from "../sessions/open-session.ts";
import { personOf } from "../users/users.ts";
import { loadGuide } from "./guide-store.ts";
import { reachableOrgRepositories } from "./org-access.ts";

const title = (text: string) => (text.length > 80 ? `${text.slice(0, 79)}…` : text);

/** The guide of an organisation the person reaches, with at least one space. */
async function guideFor(c: AppContext, org: string) {
  await reachableOrgRepositories(c.var.deps, c.var.user.id, org);
  const guide = await loadGuide(c.var.deps.db, org);
  if (guide.spaces.length === 0) {
    throw new TandemError(
      "not_found",
      `${org} has no routing guide yet: define one (PUT /api/orgs/${org}/routing) or propose one with POST /api/orgs/${org}/routing/discover.`,
    );
  }
  return guide;
}

export const requestRoutes = new Hono<AppEnv>().use(requireUser).post("/", async (c) => {
  const body = await jsonBody(c, RouteRequestBodySchema);
  const guide = await guideFor(c, body.org);
  const deps = c.var.deps;
  // What routing cost is charged to the session the request opens.
  const fastUsage: AskUsage[] = [];
  const open = (space: Space, reason: string, by: "classifier" | "person") =>
    openSession(deps, c.var.user, {
      repo: space.repo,
      title: body.title ?? title(body.text),
      prompt: {
        clientId: body.clientId,
        text:
          space.kind === "environment"
            ? `This request is for the ${space.environment} environment of ${space.repo} (${space.purpose}).

${body.text}`
            : body.text,
      },
      routed: { space: space.name, reason, by },
      fastUsage,
    });

  if (body.space) {
    const space = guide.spaces.find((s) => s.name === body.space);
    if (!space) {
      throw new TandemError(
        "not_found",
        `No space named ${body.space} in ${guide.org}'s guide; the spaces are ${guide.spaces.map((s) => s.name).join(", ")}.`,
      );
    }
    const session = await open(space, "the person chose it", "person");
    return c.json({ route: { kind: "space", space: space.name, reason: "chosen" }, session }, 201);
  }
  if (!deps.ask) {
    throw new TandemError(
      "misconfigured",
      "No model is configured to route requests: set ANTHROPIC_API_KEY, or name the space.",
    );
  }
  const route = await classifyRequest(
    { request: body.text, guide, fanOut: body.fanOut, onUsage: (u) => fastUsage.push(u) },
    deps.ask,
  );
  switch (route.kind) {
    case "unknown":
      // The person is asked once; their answer comes back as `space`.
      return c.json({ route });
    case "space": {
      const space = guide.spaces.find((s) => s.name === route.space)!;
      return c.json({ route, session: await open(space, route.reason, "classifier") }, 201);
    }
    case "fan_out": {
      const first = guide.spaces.find((s) => route.spaces.includes(s.name))!;
      const session = await openSession(deps, c.var.user, {
        repo: first.repo,
        title: body.title ?? `Compare: ${title(body.text)}`,
        routed: {
          space: route.spaces.join(", "),
          reason: route.reason,
          by: "classifier",
        },
        fastUsage,
      });
      orThrow(
        await deps.session(session.id).fanOutFor(personOf(c.var.user), body.text, route.spaces),
      );
      return c.json({ route, session }, 201);
    }
    default:
      route satisfies never;
      throw new TandemError("internal", "unknown route");
  }
});

/** POST /api/orgs/:org/routing/discover: each repository describes itself; a guide is proposed. */
export const discoveryRoutes = new Hono<AppEnv>()
  .use(requireUser)
  .post("/:org/routing/discover", async (c) => {
    const org = parse(OrgSchema, c.req.param("org"), "organisation");
    const repos = await reachableOrgRepositories(c.var.deps, c.var.user.id, org);
    const drafts = repos.slice(0, 10).map((repo) => ({
      name:
        repo
          .split("/")[1]!
          .toLowerCase()
          .replace(/[^a-z0-9-]+/g, "-")
          .replace(/^[^a-z]+/, "")
          .slice(0, 40) || "space",
      kind: "repository" as const,
      repo,
      environment: null,
      coverage: [],
    }));
    const session = await openSession(c.var.deps, c.var.user, {
      repo: repos[0]!,
      title: `Discover the spaces of ${org}`,
    });
    orThrow(await c.var.deps.session(session.id).discoverSpaces(personOf(c.var.user), org, drafts));
    return c.json({ session }, 202);
  });
