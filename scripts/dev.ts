// `npm run dev`: the whole platform on one machine, offline — web build, D1 migrations, the sandbox
// host, and wrangler dev.
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { applyLocalMigrations, createLocalUserToken } from "./local-d1.ts";

const PORT = Number(process.env.PORT ?? 8787);
const SANDBOX_HOST_PORT = Number(process.env.SANDBOX_HOST_PORT ?? 8790);
const quietEnv = { ...process.env, WRANGLER_SEND_METRICS: "false", CLOUDFLARE_CF_FETCH_ENABLED: "false" };

function step(message: string): void {
  console.log(`\x1b[2m[dev]\x1b[0m ${message}`);
}

function runToEnd(command: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: "inherit", env: quietEnv });
    child.on("exit", (code) => (code === 0 ? resolve() : reject(new Error(`${command} ${args.join(" ")} exited ${code}`))));
  });
}

if (!existsSync(".dev.vars")) {
  const vars = [
    `SESSION_SECRET=${randomBytes(32).toString("base64url")}`,
    `SANDBOX_HOST_TOKEN=${randomBytes(32).toString("base64url")}`,
  ];
  writeFileSync(".dev.vars", `${vars.join("\n")}\n`, { mode: 0o600 });
  step("wrote .dev.vars with fresh secrets");
}
const devVars = Object.fromEntries(
  readFileSync(".dev.vars", "utf8")
    .split("\n")
    .filter((line) => line.includes("="))
    .map((line) => [line.slice(0, line.indexOf("=")), line.slice(line.indexOf("=") + 1)]),
);
step("building the web app");
await runToEnd("npx", ["vite", "build", "--config", "web/vite.config.ts", "--logLevel", "warn"]);
step("applying D1 migrations");
await applyLocalMigrations();
const demo = await createLocalUserToken("demo", { name: "Demo User", tokenName: "npm run dev" });

const sandboxHost = startSandboxHost(devVars.SANDBOX_HOST_TOKEN);

const wrangler = spawn(
  "npx",
  ["wrangler", "dev", "--ip", "127.0.0.1", "--port", String(PORT), "--show-interactive-dev-session=false", "--var", `PUBLIC_URL:http://127.0.0.1:${PORT}`],
  { stdio: "inherit", env: quietEnv, detached: true },
);
step(`Tandem is starting on http://127.0.0.1:${PORT}`);
step(`sign in as "demo" with this token: ${demo.token}`);
step("more people: npm run user:create -- <login>");

const stop = () => {
  for (const child of [wrangler, sandboxHost]) {
    try {
      if (child) process.kill(-child.pid!, "SIGTERM");
    } catch {
      // Already gone.
    }
  }
};
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
wrangler.on("exit", (code) => process.exit(code ?? 0));

/** Starts the sandbox host beside the Worker; without root or bubblewrap, says what is missing and goes on. */
function startSandboxHost(token: string | undefined): ChildProcess | null {
  if (!token) {
    step("sandbox host: add SANDBOX_HOST_TOKEN to .dev.vars to start it");
    return null;
  }
  if (process.getuid?.() !== 0) {
    step("sandbox host: not started — it needs root (overlay mounts, per-sandbox uids); run `sudo npm run dev`");
    return null;
  }
  const child = spawn(process.execPath, ["sandbox-host/main.ts"], {
    stdio: ["ignore", "inherit", "inherit"],
    detached: true,
    env: {
      ...process.env,
      TANDEM_HOST_TOKEN: token,
      TANDEM_HOST_PORT: String(SANDBOX_HOST_PORT),
      TANDEM_HOST_STATE: ".tandem-dev/sandbox-host",
      TANDEM_CONTROL_PLANE: `127.0.0.1:${PORT}`,
    },
  });
  child.on("exit", (code) => code && step(`sandbox host exited with ${code}`));
  step(`sandbox host starting on http://127.0.0.1:${SANDBOX_HOST_PORT}`);
  return child;
}
