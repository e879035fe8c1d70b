// `node sandbox-host/main.ts`: runs the sandbox host daemon until it is told to stop.
import { readConfig } from "./config.ts";
import { startHost } from "./host.ts";

const log = (message: string, fields: Record<string, unknown> = {}) =>
  console.log(JSON.stringify({ at: new Date().toISOString(), message, ...fields }));

try {
  const host = await startHost(readConfig(process.env), log);
  log("host.listening", { url: host.url, missing: host.capabilities.missing });
  const stop = async (signal: string) => {
    log("host.stopping", { signal });
    await host.stop();
    process.exit(0);
  };
  process.once("SIGTERM", () => void stop("SIGTERM"));
  process.once("SIGINT", () => void stop("SIGINT"));
} catch (error) {
  console.error(`sandbox host: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
