// Runs the GitHub stand-in until SIGTERM or SIGINT:
//   node test/github-stand-in/main.ts [--port 8792] [--host 127.0.0.1] [--webhook-url URL]
//     [--key-file PATH] [--client-id ID] [--client-secret S] [--webhook-secret S] [--data-dir DIR]
// The App's private key is read from --key-file when it exists, else made and written there
// (a new temporary folder without the flag), so a restart can keep the App's credentials.
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { startGitHubStandIn } from "./server.ts";

const USAGE =
  "usage: node test/github-stand-in/main.ts [--port 8792] [--host 127.0.0.1] [--webhook-url URL] " +
  "[--key-file PATH] [--client-id ID] [--client-secret S] [--webhook-secret S] [--data-dir DIR] [--quiet]";

const { values } = parseArgs({
  options: {
    port: { type: "string", default: "8792" },
    host: { type: "string", default: "127.0.0.1" },
    "webhook-url": { type: "string" },
    "key-file": { type: "string" },
    "client-id": { type: "string" },
    "client-secret": { type: "string" },
    "webhook-secret": { type: "string" },
    "data-dir": { type: "string" },
    quiet: { type: "boolean", default: false },
  },
});

const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(USAGE);
  process.exit(2);
}

const keyFile = values["key-file"]
  ? resolve(values["key-file"])
  : join(await mkdtemp(join(tmpdir(), "github-stand-in-key-")), "app-private-key.pem");
const existingKey = existsSync(keyFile) ? await readFile(keyFile, "utf8") : undefined;

const standIn = await startGitHubStandIn({
  port,
  host: values.host,
  webhookUrl: values["webhook-url"] ?? null,
  ...(values["data-dir"] ? { dataDir: resolve(values["data-dir"]) } : {}),
  app: {
    ...(existingKey ? { privateKey: existingKey } : {}),
    ...(values["client-id"] ? { clientId: values["client-id"] } : {}),
    ...(values["client-secret"] ? { clientSecret: values["client-secret"] } : {}),
    ...(values["webhook-secret"] ? { webhookSecret: values["webhook-secret"] } : {}),
  },
  log: values.quiet ? undefined : (line) => console.log(line),
});
if (!existingKey) {
  await mkdir(dirname(keyFile), { recursive: true });
  await writeFile(keyFile, standIn.app.privateKeyPkcs8, { mode: 0o600 });
}

const { app } = standIn;
console.log(`github stand-in listening on ${standIn.url}`);
console.log(`  app id:          ${app.id} (${app.slug})`);
console.log(`  client id:       ${app.clientId}`);
console.log(`  client secret:   ${app.clientSecret}`);
console.log(`  webhook secret:  ${app.webhookSecret}`);
console.log(`  private key:     ${keyFile} (PKCS#8 PEM)`);
console.log(
  `  webhook url:     ${values["webhook-url"] ?? "none (PUT /_stand-in/webhook sets one)"}`,
);
console.log(
  `  repositories:    ${standIn
    .summary()
    .repos.map((repo) => repo.gitUrl)
    .join(", ")}`,
);

for (const signal of ["SIGTERM", "SIGINT"] as const) {
  process.once(signal, () => {
    standIn.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  });
}
