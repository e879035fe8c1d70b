// Authentication (cookie or bearer token) and cross-site protection for every API route.
import { getCookie } from "hono/cookie";
import { createMiddleware } from "hono/factory";
import { TandemError } from "../../protocol/errors.ts";
import type { AppContext, AppEnv } from "../http.ts";
import { findUser } from "../users/users.ts";
import { verifyApiToken } from "./api-tokens.ts";
import { resolveBrowserSession, SESSION_COOKIE } from "./browser-sessions.ts";

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/** Whether a request's Origin is Tandem itself (the configured origin, or the one it was reached at). */
export function sameOrigin(c: AppContext): boolean {
  const origin = c.req.header("Origin");
  if (!origin) return false;
  return origin === c.var.deps.publicOrigin || origin === new URL(c.req.url).origin;
}

/** Requires a signed-in person; sets `user` and `via`. */
export const requireUser = createMiddleware<AppEnv>(async (c, next) => {
  const { db, now, sessionSecret } = c.var.deps;
  const authorization = c.req.header("Authorization");
  if (authorization !== undefined) {
    const match = /^Bearer\s+(\S+)$/i.exec(authorization);
    const userId = match ? await verifyApiToken(db, match[1]!, now()) : null;
    if (!userId)
      throw new TandemError("unauthenticated", "That API token is not valid or was revoked.");
    const user = await findUser(db, userId);
    if (!user) throw new TandemError("unauthenticated", "The token's user no longer exists.");
    c.set("user", user);
    c.set("via", { kind: "token" });
    return next();
  }
  const cookie = getCookie(c, SESSION_COOKIE);
  const signedIn = cookie ? await resolveBrowserSession(db, cookie, sessionSecret, now()) : null;
  const user = signedIn ? await findUser(db, signedIn.userId) : undefined;
  if (!signedIn || !user) throw new TandemError("unauthenticated", "Sign in first.");
  // A cookie rides along on cross-site requests; state changes must come from our own pages.
  if (!SAFE_METHODS.has(c.req.method) && !sameOrigin(c)) {
    throw new TandemError("csrf_rejected", "This request did not come from a Tandem page.");
  }
  c.set("user", user);
  c.set("via", { kind: "cookie", browserSessionId: signedIn.sessionId });
  return next();
});
