// The Worker entry: HTTP through the Hono app, the 30-minute cron, and the Durable Object classes.
import { createApp } from "./app.ts";

export { SessionObject } from "../durable-objects/session/session-object.ts";
export { RepoPoolObject } from "../durable-objects/repo-pool/repo-pool-object.ts";

const app = createApp();

export default {
  fetch: app.fetch,
  async scheduled(controller, _env, _ctx) {
    // The image registry runs here every 30 minutes once repositories have image recipes.
    console.log(
      JSON.stringify({ message: "cron.tick", cron: controller.cron, at: controller.scheduledTime }),
    );
  },
} satisfies ExportedHandler<Env>;
