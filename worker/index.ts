// The Worker entry: HTTP through the Hono app, the 30-minute cron, and the Durable Object classes.
import { createApp } from "./app.ts";
import { runImageCron } from "./cron.ts";

export { SessionObject } from "../durable-objects/session/session-object.ts";
export { RepoPoolObject } from "../durable-objects/repo-pool/repo-pool-object.ts";
export { SandboxContainer } from "../durable-objects/sandbox-container/sandbox-container-object.ts";

const app = createApp();

export default {
  fetch: app.fetch,
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
