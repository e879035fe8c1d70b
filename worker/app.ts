// The Hono application: dependency wiring, routes, and the one place errors become responses.
import { Hono } from "hono";
import { HTTPException } from "hono/http-exception";
import { TandemError } from "../protocol/errors.ts";
import { authRoutes } from "./auth/routes.ts";
import { bodyLimit } from "./body-limit.ts";
import { buildDeps } from "./deps.ts";
import { errorResponse, type AppEnv } from "./http.ts";
import { gitHubSignInRoutes } from "./github/sign-in-routes.ts";
import { gitHubWebhookRoutes, MAX_WEBHOOK_BYTES, WEBHOOK_PATH } from "./github/webhook-routes.ts";
import { pipelineRoutes } from "./pipelines/routes.ts";
import { discoveryRoutes, requestRoutes } from "./routing/request-routes.ts";
import { repositoryRoutes } from "./repositories/routes.ts";
import { routingRoutes } from "./routing/routes.ts";
import { sessionRoutes } from "./sessions/routes.ts";
import { openPreview } from "./previews/routes.ts";
import { statsRoutes } from "./stats/routes.ts";

/** The largest request body the API reads. */
export const MAX_BODY_BYTES = 256 * 1024;

/** Builds the API application. */
export function createApp(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  app.use("/api/*", async (c, next) => {
    c.set("deps", buildDeps(c.env));
    await next();
  });
  const apiLimit = bodyLimit(MAX_BODY_BYTES);
  const webhookLimit = bodyLimit(MAX_WEBHOOK_BYTES);
  // GitHub's deliveries may be large (a push of many commits); everything else stays small.
  app.use("/api/*", (c, next) => (c.req.path === WEBHOOK_PATH ? webhookLimit : apiLimit)(c, next));

  app.get("/api/health", (c) => c.json({ ok: true }));
  app.route("/api/auth/github", gitHubSignInRoutes);
  app.route("/api/github", gitHubWebhookRoutes);
  app.route("/api/auth", authRoutes);
  // Before the session routes: it signs in on its own, to send a signed-out browser to sign in.
  app.get("/api/sessions/:sessionId/previews/:port/open", openPreview);
  app.route("/api/sessions", sessionRoutes);
  app.route("/api/repositories", pipelineRoutes);
  app.route("/api/repositories", repositoryRoutes);
  app.route("/api/orgs", routingRoutes);
  app.route("/api/orgs", discoveryRoutes);
  app.route("/api/requests", requestRoutes);
  app.route("/api/stats", statsRoutes);

  app.notFound((c) =>
    errorResponse(
      c,
      new TandemError("not_found", `No route for ${c.req.method} ${new URL(c.req.url).pathname}.`),
    ),
  );
  app.onError((error, c) => {
    const tandem = tandemErrorIn(error);
    if (tandem) return errorResponse(c, tandem);
    if (error instanceof HTTPException) {
      const code =
        error.status === 413
          ? "payload_too_large"
          : error.status === 401
            ? "unauthenticated"
            : "invalid_input";
      return errorResponse(
        c,
        new TandemError(code, error.message || "The request was not accepted."),
      );
    }
    console.error(
      JSON.stringify({
        message: "http.unhandled",
        path: c.req.path,
        error: String(error),
        stack: (error as Error).stack,
      }),
    );
    return errorResponse(
      c,
      new TandemError("internal", "Something went wrong on our side; try again."),
    );
  });
  return app;
}

/** The TandemError thrown, or the one a library wrapped (drizzle wraps a failed query's error as its cause). */
function tandemErrorIn(error: unknown): TandemError | null {
  for (let current = error, depth = 0; current && depth < 5; depth++) {
    if (current instanceof TandemError) return current;
    current = (current as { cause?: unknown }).cause;
  }
  return null;
}
