// `npm run dev`: the whole platform on one machine, offline — web build, D1 migrations, wrangler dev.
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, writeFileSync } from "node:fs";
import { applyLocalMigrations, createLocalUserToken } from "./local-d1.ts";

const PORT = Number(process.env.PORT ?? 8787);
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
  writeFileSync(".dev.vars", `SESSION_SECRET=${randomBytes(32).toString("base64url")}\n`, { mode: 0o600 });
  step("wrote .dev.vars with a fresh SESSION_SECRET");
}
step("building the web app");
await runToEnd("npx", ["vite", "build", "--config", "web/vite.config.ts", "--logLevel", "warn"]);
step("applying D1 migrations");
await applyLocalMigrations();
const demo = await createLocalUserToken("demo", { name: "Demo User", tokenName: "npm run dev" });

const wrangler = spawn(
  "npx",
  ["wrangler", "dev", "--ip", "127.0.0.1", "--port", String(PORT), "--show-interactive-dev-session=false", "--var", `PUBLIC_URL:http://127.0.0.1:${PORT}`],
  { stdio: "inherit", env: quietEnv, detached: true },
);
step(`Tandem is starting on http://127.0.0.1:${PORT}`);
step(`sign in as "demo" with this token: ${demo.token}`);
step("more people: npm run user:create -- <login>");

const stop = () => {
  try {
    process.kill(-wrangler.pid!, "SIGTERM");
  } catch {
    // Already gone.
  }
};
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
wrangler.on("exit", (code) => process.exit(code ?? 0));
