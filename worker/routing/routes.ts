// Routes under /api/orgs: read and replace an organisation's routing guide.
import { Hono } from "hono";
import {
  OrgSchema,
  PutRoutingGuideBodySchema,
  type RoutingGuideResponse,
} from "../../protocol/routing.ts";
import { requireUser } from "../auth/middleware.ts";
import { jsonBody, parse, type AppContext, type AppEnv } from "../http.ts";
import { loadGuide, replaceGuide } from "./guide-store.ts";
import { reachableOrgRepositories, withReachableRepositories } from "./org-access.ts";

/** The organisation named by the path, checked, with the repositories of it this person reaches. */
async function orgOf(c: AppContext): Promise<{ org: string; reachable: string[] }> {
  const org = parse(OrgSchema, c.req.param("org"), "organisation");
  return { org, reachable: await reachableOrgRepositories(c.var.deps, c.var.user.id, org) };
}

/** The /api/orgs routes; a person reaches an organisation through its registered repositories. */
export const routingRoutes = new Hono<AppEnv>()
  .use(requireUser)
  .get("/:org/routing", async (c) => {
    const { org } = await orgOf(c);
    return c.json({ guide: await loadGuide(c.var.deps.db, org) } satisfies RoutingGuideResponse);
  })
  .put("/:org/routing", async (c) => {
    const { org, reachable } = await orgOf(c);
    const { spaces } = await jsonBody(c, PutRoutingGuideBodySchema);
    const checked = withReachableRepositories(org, spaces, reachable);
    const { db, now } = c.var.deps;
    const guide = await replaceGuide(db, org, checked, "api", now());
    return c.json({ guide } satisfies RoutingGuideResponse);
  });
