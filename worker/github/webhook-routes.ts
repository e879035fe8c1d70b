// POST /api/github/webhook: deliveries from GitHub, verified by their signature and handled once
// per delivery id. Pull request changes reach the session that opened the pull request; a push to
// a default branch builds a new image; installation changes keep the repository list current.
import { and, eq } from "drizzle-orm";
import { Hono } from "hono";
import { verifyWebhookSignature } from "../../github/webhook-signature.ts";
import { webhookAction, type WebhookAction } from "../../github/webhooks.ts";
import { TandemError } from "../../protocol/errors.ts";
import { requestBuild } from "../../registry/builds.ts";
import { pullRequests, webhookDeliveries } from "../db/github.sql.ts";
import type { Deps } from "../deps.ts";
import type { AppEnv } from "../http.ts";

/** GitHub caps payloads at 25 MB; the webhook route accepts that much. */
export const MAX_WEBHOOK_BYTES = 25 * 1024 * 1024;
export const WEBHOOK_PATH = "/api/github/webhook";

export const gitHubWebhookRoutes = new Hono<AppEnv>().post("/webhook", async (c) => {
  const gh = c.var.deps.github;
  if (!gh) throw new TandemError("not_found", "GitHub is not configured on this Tandem.");
  const body = new Uint8Array(await c.req.arrayBuffer());
  if (
    !(await verifyWebhookSignature(
      gh.config.webhookSecret,
      body,
      c.req.header("X-Hub-Signature-256"),
    ))
  ) {
    throw new TandemError("unauthenticated", "The webhook signature does not match this delivery.");
  }
  const delivery = c.req.header("X-GitHub-Delivery");
  const event = c.req.header("X-GitHub-Event");
  if (!delivery || !event || delivery.length > 100 || event.length > 100) {
    throw new TandemError(
      "invalid_input",
      "A delivery needs X-GitHub-Delivery and X-GitHub-Event headers.",
    );
  }
  const { db, now } = c.var.deps;
  const seen = await db
    .select({ id: webhookDeliveries.id })
    .from(webhookDeliveries)
    .where(eq(webhookDeliveries.id, delivery))
    .get();
  if (seen) return c.json({ delivery, duplicate: true });
  let payload: unknown;
  try {
    payload = JSON.parse(new TextDecoder().decode(body));
  } catch {
    throw new TandemError("invalid_input", "The delivery's body is not JSON.");
  }
  const action = webhookAction(event, payload);
  await apply(c.var.deps, action);
  // Recorded once handled, so a delivery that failed half-way is handled again when GitHub retries it.
  await db
    .insert(webhookDeliveries)
    .values({ id: delivery, event, receivedAt: now() })
    .onConflictDoNothing()
    .run();
  return c.json({ delivery, duplicate: false, handled: action.kind });
});

async function apply(deps: Deps, action: WebhookAction): Promise<void> {
  const { db, now } = deps;
  switch (action.kind) {
    case "pull_request": {
      const row = await db
        .update(pullRequests)
        .set({ state: action.state, updatedAt: now() })
        .where(and(eq(pullRequests.repo, action.repo), eq(pullRequests.number, action.number)))
        .returning()
        .get();
      if (!row) return;
      await deps.session(row.sessionId).pullRequestChanged({
        number: action.number,
        url: row.url,
        state: action.state,
        action: action.action,
        by: action.sender,
      });
      return;
    }
    case "pull_request_review": {
      const row = await db
        .select()
        .from(pullRequests)
        .where(and(eq(pullRequests.repo, action.repo), eq(pullRequests.number, action.number)))
        .get();
      if (!row) return;
      await deps.session(row.sessionId).pullRequestReviewed({
        number: action.number,
        url: row.url,
        review: action.review,
        by: action.sender,
      });
      return;
    }
    case "default_branch_push": {
      const repository = await deps.registry.repository(action.repo);
      if (!repository) return;
      await requestBuild(
        {
          registry: deps.registry,
          pool: deps.pool(action.repo),
          now,
          credential: deps.cloneCredential,
        },
        repository,
        action.commit,
        "push",
      );
      return;
    }
    case "installation_repositories": {
      // Removed repositories drop out of people's lists by themselves: their user tokens no
      // longer reach a repository the App is not installed on.
      await registerInstalled(deps, action.added);
      return;
    }
    case "ignored":
      return;
    default:
      action satisfies never;
  }
}

/** Repositories the App was just installed on join the registry, so people can pick them. */
async function registerInstalled(deps: Deps, repos: readonly string[]): Promise<void> {
  const gh = deps.github;
  if (!gh) return;
  for (const repo of repos) {
    if (await deps.registry.repository(repo)) continue;
    const token = await gh.installationToken(repo, { metadata: "read" });
    if (!token) continue;
    const [owner, name] = repo.split("/") as [string, string];
    const found = await gh.api.repository(token, owner, name);
    if (!found) continue;
    await deps.registry.register({
      repo,
      cloneUrl: found.clone_url,
      defaultBranch: found.default_branch,
      recipe: null,
      warmPoolSize: 0,
      createdBy: "github",
      createdAt: deps.now(),
    });
  }
}
