// The Worker entry: previews by their host, the API through the Hono app, the web app's assets,
// the 30-minute cron, and the Durable Object classes.
import { previewOfHost } from "../protocol/previews.ts";
import { forwardSandboxPort, SANDBOX_PORT_PREFIX } from "../sandbox/containers/port-route.ts";
import { createApp } from "./app.ts";
import { runImageCron } from "./cron.ts";
import { buildPreviewDeps, previewDomainOf, sandboxPortRouteOf } from "./deps.ts";
import { servePreview } from "./previews/preview-host.ts";
import { previewFailure } from "./previews/preview-pages.ts";
import { TandemError } from "../protocol/errors.ts";

export { SessionObject } from "../durable-objects/session/session-object.ts";
export { RepoPoolObject } from "../durable-objects/repo-pool/repo-pool-object.ts";
export { SandboxContainer } from "../durable-objects/sandbox-container/sandbox-container-object.ts";

const app = createApp();

/** Every request comes here first (`run_worker_first`): a preview's host goes to its sandbox
 * whatever the path; on Tandem's own hosts, `/api/…` is the API and the rest the web app. */
async function fetch(request: Request, env: Env, ctx: ExecutionContext): Promise<Response> {
  const url = new URL(request.url);
  const domain = previewDomainOf(env);
  const preview = domain ? previewOfHost(domain, url.host) : null;
  if (preview) {
    try {
      return await servePreview(request, buildPreviewDeps(env, domain!), preview);
    } catch (error) {
      if (!(error instanceof TandemError)) throw error;
      return previewFailure(error.code, error.message, { html: false });
    }
  }
  if (url.pathname.startsWith(`${SANDBOX_PORT_PREFIX}/`)) {
    const route = sandboxPortRouteOf(env);
    if (route) return (await forwardSandboxPort(request, route))!;
  }
  const api = url.pathname === "/api" || url.pathname.startsWith("/api/");
  // The assets answer reads; anything else outside the API gets the API's typed 404.
  const read = request.method === "GET" || request.method === "HEAD";
  return api || !read ? app.fetch(request, env, ctx) : env.ASSETS.fetch(request);
}

export default {
  fetch,
  async scheduled(controller, env, ctx) {
    ctx.waitUntil(
      runImageCron(env).then(
        (report) =>
          console.log(JSON.stringify({ message: "cron.images", cron: controller.cron, ...report })),
        (error: unknown) =>
          console.error(JSON.stringify({ message: "cron.images.failed", error: String(error) })),
      ),
    );
  },
} satisfies ExportedHandler<Env>;
