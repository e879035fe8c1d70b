// Signing in with GitHub: /api/auth/github/start sends the browser to GitHub with a fresh state
// and PKCE challenge (kept sealed in a short-lived cookie), and /api/auth/github/callback checks
// them, exchanges the code, links or creates the person, keeps their tokens sealed, and signs in.
import { eq } from "drizzle-orm";
import { Hono } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import { z } from "zod";
import { randomSecret, timingSafeEqual } from "../../crypto/digest.ts";
import { SecretBox } from "../../crypto/secret-box.ts";
import type { GitHub } from "../../github/github.ts";
import { authorizeUrl, exchangeCode, newPkce, OAuthError } from "../../github/oauth.ts";
import { TandemError } from "../../protocol/errors.ts";
import { SESSION_COOKIE, SESSION_TTL_MS, startBrowserSession } from "../auth/browser-sessions.ts";
import { users } from "../db/index.sql.ts";
import type { Database } from "../db/database.ts";
import { parse, type AppContext, type AppEnv } from "../http.ts";
import { createUser, findUserByLogin, type User } from "../users/users.ts";

const STATE_COOKIE = "tandem_github_sign_in";
const STATE_TTL_MS = 10 * 60_000;
const CALLBACK_PATH = "/api/auth/github/callback";

const PendingSchema = z.object({
  state: z.string(),
  verifier: z.string(),
  returnTo: z.string(),
  expiresAt: z.number(),
});

const CallbackQuerySchema = z.union([
  z.object({ code: z.string().min(1).max(500), state: z.string().min(1).max(200) }),
  z.object({ error: z.string().max(200), error_description: z.string().max(1000).optional() }),
]);

/** Only paths inside Tandem: never another site (`//evil.example`) or a scheme. */
export function safeReturnPath(value: string | undefined): string {
  if (!value || !value.startsWith("/") || value.startsWith("//") || value.includes("\\"))
    return "/";
  return value;
}

function github(c: AppContext): GitHub {
  const configured = c.var.deps.github;
  if (!configured) {
    throw new TandemError("not_found", "Sign-in with GitHub is not configured on this Tandem.");
  }
  return configured;
}

/** The sealing of the pending sign-in uses the session secret: it lives ten minutes in one browser. */
const pendingBox = (c: AppContext) => new SecretBox([c.var.deps.sessionSecret]);

export const gitHubSignInRoutes = new Hono<AppEnv>()
  .get("/start", async (c) => {
    const gh = github(c);
    const { now, publicOrigin, secureCookies } = c.var.deps;
    const pkce = await newPkce();
    const state = randomSecret("st", 24);
    const pending = {
      state,
      verifier: pkce.verifier,
      returnTo: safeReturnPath(c.req.query("returnTo")),
      expiresAt: now() + STATE_TTL_MS,
    };
    setCookie(c, STATE_COOKIE, await pendingBox(c).seal(JSON.stringify(pending), STATE_COOKIE), {
      httpOnly: true,
      sameSite: "Lax",
      secure: secureCookies,
      path: "/api/auth/github",
      maxAge: STATE_TTL_MS / 1000,
    });
    return c.redirect(
      authorizeUrl({
        webBaseUrl: gh.config.webBaseUrl,
        clientId: gh.config.clientId,
        redirectUri: `${publicOrigin}${CALLBACK_PATH}`,
        state,
        challenge: pkce.challenge,
      }),
      302,
    );
  })
  .get("/callback", async (c) => {
    const gh = github(c);
    const { db, now, publicOrigin, sessionSecret, secureCookies } = c.var.deps;
    const query = parse(CallbackQuerySchema, c.req.query(), "query");
    const sealed = getCookie(c, STATE_COOKIE);
    deleteCookie(c, STATE_COOKIE, { path: "/api/auth/github" });
    if ("error" in query) {
      throw new TandemError(
        "unauthenticated",
        `GitHub did not sign you in (${query.error}${query.error_description ? `: ${query.error_description}` : ""}).`,
      );
    }
    const opened = sealed ? await pendingBox(c).open(sealed, STATE_COOKIE) : null;
    const pending = opened ? PendingSchema.safeParse(JSON.parse(opened)) : null;
    if (
      !pending?.success ||
      pending.data.expiresAt < now() ||
      !timingSafeEqual(pending.data.state, query.state)
    ) {
      throw new TandemError(
        "unauthenticated",
        "This sign-in link is not valid any more (it expired or came from another browser). Start signing in again.",
      );
    }
    let tokens;
    try {
      tokens = await exchangeCode(
        gh.config,
        {
          code: query.code,
          redirectUri: `${publicOrigin}${CALLBACK_PATH}`,
          verifier: pending.data.verifier,
        },
        now(),
      );
    } catch (error) {
      if (error instanceof OAuthError) {
        throw new TandemError("unauthenticated", `GitHub refused the sign-in: ${error.message}`);
      }
      throw error;
    }
    const profile = await gh.api.user(tokens.accessToken);
    const email = profile.email ?? (await gh.api.primaryEmail(tokens.accessToken));
    const user = await linkPerson(db, gh, profile, email, now());
    await gh.saveAccount(user.id, profile, tokens);
    setCookie(c, SESSION_COOKIE, await startBrowserSession(db, user.id, sessionSecret, now()), {
      httpOnly: true,
      sameSite: "Lax",
      secure: secureCookies,
      path: "/",
      maxAge: SESSION_TTL_MS / 1000,
    });
    return c.redirect(pending.data.returnTo, 302);
  });

/**
 * The Tandem person for a GitHub account: the one already linked to it, else the local account of
 * the same login that no GitHub account claimed yet, else a new one. Profile fields follow GitHub.
 */
async function linkPerson(
  db: Database,
  gh: GitHub,
  profile: { id: number; login: string; name?: string | null; avatar_url?: string | null },
  email: string | null,
  now: number,
): Promise<User> {
  const fields = { name: profile.name ?? null, email, avatarUrl: profile.avatar_url ?? null };
  const linkedId = await gh.userIdOf(profile.id);
  if (linkedId) {
    const updated = await db
      .update(users)
      .set({ ...fields, login: profile.login })
      .where(eq(users.id, linkedId))
      .returning()
      .get();
    if (updated) return updated;
  }
  const local = await findUserByLogin(db, profile.login);
  if (!local) return createUser(db, { login: profile.login, ...fields }, now);
  if (await gh.hasAccount(local.id)) {
    throw new TandemError(
      "conflict",
      `The login ${profile.login} belongs to a Tandem account linked to another GitHub account.`,
    );
  }
  await db.update(users).set(fields).where(eq(users.id, local.id)).run();
  return { ...local, ...fields };
}
