// Routes under /api/stats: the stats page's figures and its live "prompting now" list.
import { Hono } from "hono";
import type { ActiveNowResponse, StatsResponse } from "../../protocol/stats.ts";
import { StatsQuerySchema } from "../../protocol/stats.ts";
import { requireUser } from "../auth/middleware.ts";
import { parse, type AppEnv } from "../http.ts";
import { activeNow, statsOf } from "./queries.ts";

/** The /api/stats routes; every figure covers only the sessions the signed-in person takes part in. */
export const statsRoutes = new Hono<AppEnv>()
  .use(requireUser)
  .get("/", async (c) => {
    const { days } = parse(StatsQuerySchema, c.req.query(), "query");
    const { db, now } = c.var.deps;
    return c.json((await statsOf(db, c.var.user.id, days, now())) satisfies StatsResponse);
  })
  .get("/active-now", async (c) => {
    const { db, now } = c.var.deps;
    const at = now();
    return c.json({
      activeNow: await activeNow(db, c.var.user.id, at),
      at,
    } satisfies ActiveNowResponse);
  });
