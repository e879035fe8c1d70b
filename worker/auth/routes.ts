// Routes under /api/auth: sign-in methods, who am I, sign in with a token, sign out, personal API tokens.
import { Hono } from "hono";
import { deleteCookie, setCookie } from "hono/cookie";
import { z } from "zod";
import { CreateTokenBodySchema, type AuthProviders } from "../../protocol/api.ts";
import { TandemError } from "../../protocol/errors.ts";
import { jsonBody, type AppEnv } from "../http.ts";
import { findUser, personOf } from "../users/users.ts";
import { createApiToken, listApiTokens, revokeApiToken, verifyApiToken } from "./api-tokens.ts";
import {
  endBrowserSession,
  SESSION_COOKIE,
  SESSION_TTL_MS,
  startBrowserSession,
} from "./browser-sessions.ts";
import { requireUser, sameOrigin } from "./middleware.ts";

const SignInBodySchema = z.object({ token: z.string().min(1).max(200) });

/** The /api/auth routes. */
export const authRoutes = new Hono<AppEnv>()
  // Personal API tokens always work; GitHub only where the deployment configures its App.
  .get("/providers", (c) =>
    c.json({ github: c.var.deps.github !== null, local: true } satisfies AuthProviders),
  )
  .post("/session", async (c) => {
    const { db, now, sessionSecret, secureCookies } = c.var.deps;
    if (c.req.header("Origin") && !sameOrigin(c)) {
      throw new TandemError("csrf_rejected", "Sign in from a Tandem page.");
    }
    const { token } = await jsonBody(c, SignInBodySchema);
    const userId = await verifyApiToken(db, token, now());
    const user = userId ? await findUser(db, userId) : undefined;
    if (!user) throw new TandemError("unauthenticated", "That token is not valid or was revoked.");
    setCookie(c, SESSION_COOKIE, await startBrowserSession(db, user.id, sessionSecret, now()), {
      httpOnly: true,
      sameSite: "Lax",
      secure: secureCookies,
      path: "/",
      maxAge: SESSION_TTL_MS / 1000,
    });
    return c.json({ user: personOf(user) });
  })
  .use(requireUser)
  .get("/me", (c) => c.json({ user: personOf(c.var.user), via: c.var.via.kind }))
  .delete("/session", async (c) => {
    const via = c.var.via;
    if (via.kind === "cookie")
      await endBrowserSession(c.var.deps.db, via.browserSessionId, c.var.deps.now());
    deleteCookie(c, SESSION_COOKIE, { path: "/" });
    return c.body(null, 204);
  })
  .get("/tokens", async (c) =>
    c.json({ tokens: await listApiTokens(c.var.deps.db, c.var.user.id) }),
  )
  .post("/tokens", async (c) => {
    const { name } = await jsonBody(c, CreateTokenBodySchema);
    const created = await createApiToken(c.var.deps.db, c.var.user.id, name, c.var.deps.now());
    return c.json({ token: created.token, ...created.info }, 201);
  })
  .delete("/tokens/:tokenId", async (c) => {
    const revoked = await revokeApiToken(
      c.var.deps.db,
      c.var.user.id,
      c.req.param("tokenId"),
      c.var.deps.now(),
    );
    if (!revoked) throw new TandemError("not_found", "You have no token with that id.");
    return c.body(null, 204);
  });
