// Riding out `wrangler dev` reloads: an edit to a project source file restarts the Worker and drops every socket.
import { setTimeout as sleep } from "node:timers/promises";
import type { BenchContext } from "./context.ts";
import { SocketClosedError } from "./ws-client.ts";

/** How many times one step is tried again after the server dropped its sockets. */
const MAX_RETRIES = 2;
/** How long the platform may take to answer again after a reload. */
const HEALTH_TIMEOUT_MS = 30_000;
/** Extra settling time after the first healthy answer: a burst of edits reloads more than once. */
const SETTLE_MS = 1_500;

async function waitForHealth(url: string): Promise<void> {
  const deadline = Date.now() + HEALTH_TIMEOUT_MS;
  while (Date.now() < deadline) {
    try {
      if ((await fetch(`${url}/api/health`)).ok) return void (await sleep(SETTLE_MS));
    } catch {
      // Restarting.
    }
    await sleep(200);
  }
  throw new Error(
    `the platform did not answer ${url}/api/health within ${HEALTH_TIMEOUT_MS} ms after a reload`,
  );
}

/** Runs `step`, and again once the platform is back if it failed because the server dropped a socket. */
export async function retryOnReload<T>(
  context: BenchContext,
  what: string,
  step: () => Promise<T>,
): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await step();
    } catch (error) {
      const retryable = error instanceof SocketClosedError && !context.signal.aborted;
      if (!retryable || attempt >= MAX_RETRIES) throw error;
      context.log(
        `${what}: ${error.message}, most likely wrangler dev reloading after a source edit; retrying`,
      );
      await waitForHealth(context.url);
    }
  }
}
