// The server inside every Tandem container: its role (sandbox, build or git) decides its routes.
// Only the container's Durable Object reaches its port, so requests carry no token of their own.
import { createServer } from "node:http";
import { containerConfig } from "./container-config.ts";
import { gitRole } from "./git-role.ts";
import { json } from "../../sandbox-host/http-json.ts";
import { buildRole } from "./build-role.ts";
import { router, type Log, type Route } from "./http-kit.ts";
import { sandboxRole } from "./sandbox-role.ts";

const log: Log = (message, fields) =>
  console.log(JSON.stringify({ message, time: new Date().toISOString(), ...fields }));

const config = containerConfig(process.env);
const health: Route = [
  "GET",
  /^\/v1\/health$/,
  async (_req, res) => json(res, 200, { ok: true, role: config.role }),
];

const server = createServer();
if (config.role === "sandbox") {
  const role = sandboxRole(config, log);
  await role.prepare();
  server.on("request", router([health, ...role.routes], log));
  server.on("upgrade", role.upgrade);
} else {
  const role = config.role === "build" ? buildRole(config) : gitRole(config);
  server.on("request", router([health, ...role.routes], log));
}
// Exec and build streams stay open as long as their commands run.
server.requestTimeout = 0;
server.listen(config.port, "0.0.0.0", () =>
  log("container.listening", { role: config.role, port: config.port }),
);
process.on("SIGTERM", () => {
  server.close();
  process.exit(0);
});
