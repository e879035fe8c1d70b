// `node sandbox-host/main.ts`: runs the sandbox host daemon until it is told to stop.
import { readConfig } from "./config.ts";
import { startHost } from "./host.ts";

// A closed log pipe must not end the host, least of all while a stop saves its sandboxes.
process.stdout.on("error", () => {});
const log = (message: string, fields: Record<string, unknown> = {}) =>
  console.log(JSON.stringify({ at: new Date().toISOString(), message, ...fields }));

try {
  const host = await startHost(readConfig(process.env), log);
  log("host.listening", {
    url: host.url,
    rootless: host.mode.rootless,
    workspaces: host.mode.workspaces,
    missing: host.capabilities.missing,
  });
  // A stop saves each running sandbox's work as its rescue; a second signal exits at once, and
  // the next start rescues what the first had not saved yet, as after a crash.
  let stopping = false;
  const stop = async (signal: string) => {
    log(stopping ? "host.stop.abandoned" : "host.stopping", { signal });
    if (stopping) process.exit(1);
    stopping = true;
    await host.stop();
    process.exit(0);
  };
  process.on("SIGTERM", () => void stop("SIGTERM"));
  process.on("SIGINT", () => void stop("SIGINT"));
} catch (error) {
  console.error(`sandbox host: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
