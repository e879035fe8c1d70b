// `npm run dev`: the whole platform on one machine, offline — web build, D1 migrations, the sandbox
// host, and wrangler dev.
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { createDemoRepo } from "../test/demo-repo/create.ts";
import { startGitHubStandIn } from "../test/github-stand-in/server.ts";
import { startModelStandIn } from "../test/model-stand-in/server.ts";
import { applyLocalMigrations, createLocalUserToken } from "./local-d1.ts";

const PORT = Number(process.env.PORT ?? 8787);
const SANDBOX_HOST_PORT = Number(process.env.SANDBOX_HOST_PORT ?? 8790);
const MODEL_STAND_IN_PORT = Number(process.env.MODEL_STAND_IN_PORT ?? 8791);
const GITHUB_STAND_IN_PORT = Number(process.env.GITHUB_STAND_IN_PORT ?? 8792);
const GITHUB_KEY_FILE = resolve(".tandem-dev/github-app.pem");
const DEMO_REPO = "demo/stats";
const DEMO_DIR = resolve(".tandem-dev/demo-repo");
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
const model = await startModel();
const github = await startGitHub();

const wrangler = spawn(
  "npx",
  [
    "wrangler", "dev", "--ip", "127.0.0.1", "--port", String(PORT), "--show-interactive-dev-session=false",
    "--var", `PUBLIC_URL:http://127.0.0.1:${PORT}`,
    "--var", `PREVIEW_URL:http://*.localhost:${PORT}`,
    ...[...model.vars, ...github.vars].flatMap((v) => ["--var", v]),
  ],
  { stdio: "inherit", env: quietEnv, detached: true },
);
step(`Tandem is starting on http://127.0.0.1:${PORT}`);
step(`sign in as "demo" with this token: ${demo.token}`);
step("more people: npm run user:create -- <login>");
void registerDemoRepository(demo.token, github.cloneUrl, github.demoHead).catch((error: unknown) =>
  step(`demo repository: not registered (${error instanceof Error ? error.message : String(error)})`),
);

const stop = () => {
  void model.stop();
  void github.stop();
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

/** Starts the sandbox host beside the Worker (rootless without root; it says what it cannot enforce). */
function startSandboxHost(token: string | undefined): ChildProcess | null {
  if (!token) {
    step("sandbox host: add SANDBOX_HOST_TOKEN to .dev.vars to start it");
    return null;
  }
  if (process.getuid?.() !== 0) {
    step("sandbox host: rootless (no root) — it logs what it cannot enforce; `sudo npm run dev` for full isolation");
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

/**
 * The model: the real API when ANTHROPIC_API_KEY is set (in the environment or .dev.vars),
 * otherwise the rehearsal stand-in, which walks through a small real task on the demo repository.
 */
async function startModel(): Promise<{ vars: string[]; stop(): Promise<void> }> {
  if (process.env.ANTHROPIC_API_KEY || devVars.ANTHROPIC_API_KEY) {
    step("model: the Anthropic API (ANTHROPIC_API_KEY is set)");
    return { vars: [], stop: async () => {} };
  }
  const standIn = await startModelStandIn({ port: MODEL_STAND_IN_PORT, rehearsal: true });
  step(`model: REHEARSAL — no ANTHROPIC_API_KEY, so a scripted stand-in on ${standIn.url} plays the model`);
  step("       (it carries out a small real task with the real tools; set ANTHROPIC_API_KEY in .dev.vars for a real model)");
  return {
    vars: [`ANTHROPIC_BASE_URL:${standIn.url}`, "TANDEM_MODEL_REHEARSAL:true"],
    stop: () => standIn.stop(),
  };
}

/** Registers the demo repository (a tiny Python project) and builds its first image, once. */
async function registerDemoRepository(
  token: string,
  cloneUrl: string | null,
  demoHead: () => Promise<string | null>,
): Promise<void> {
  const created = cloneUrl || existsSync(DEMO_DIR) ? null : await createDemoRepo(DEMO_DIR);
  const api = (path: string, body?: unknown) =>
    fetch(`http://127.0.0.1:${PORT}${path}`, {
      method: body === undefined ? "GET" : "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  for (let attempt = 0; ; attempt++) {
    try {
      if ((await fetch(`http://127.0.0.1:${PORT}/api/health`)).ok) break;
    } catch {
      // Not listening yet.
    }
    if (attempt > 240) throw new Error("wrangler dev did not come up");
    await new Promise((r) => setTimeout(r, 500));
  }
  if ((await api(`/api/repositories/${DEMO_REPO}`)).ok) return;
  const registered = await api("/api/repositories", { repo: DEMO_REPO, cloneUrl: cloneUrl ?? DEMO_DIR, warmPoolSize: 1 });
  if (!registered.ok) throw new Error(`registering answered ${registered.status}: ${await registered.text()}`);
  const commit = created?.commit ?? (await demoHead());
  const build = await api(`/api/repositories/${DEMO_REPO}/images`, commit ? { commit } : {});
  step(`demo repository ${DEMO_REPO} registered; its first image is ${build.ok ? "building" : `not building (${build.status})`}`);
}

/**
 * GitHub: the real one when a GitHub App is configured (GITHUB_APP_ID in the environment or
 * .dev.vars), otherwise the GitHub stand-in, which serves sign-in, the demo repository over git,
 * pull requests and signed webhooks. Its App keeps the same credentials across restarts.
 */
async function startGitHub(): Promise<{
  vars: string[];
  cloneUrl: string | null;
  /** The demo repository's main commit on the stand-in. */
  demoHead(): Promise<string | null>;
  stop(): Promise<void>;
}> {
  if (process.env.GITHUB_APP_ID || devVars.GITHUB_APP_ID) {
    step("GitHub: the configured GitHub App");
    return { vars: [], cloneUrl: null, demoHead: async () => null, stop: async () => {} };
  }
  const remember = (name: string, make: () => string) => {
    if (!devVars[name]) {
      devVars[name] = make();
      writeFileSync(".dev.vars", `${readFileSync(".dev.vars", "utf8").trimEnd()}\n${name}=${devVars[name]}\n`, { mode: 0o600 });
    }
    return devVars[name]!;
  };
  const secret = () => randomBytes(32).toString("base64url");
  const clientSecret = remember("STAND_IN_GITHUB_CLIENT_SECRET", secret);
  const webhookSecret = remember("STAND_IN_GITHUB_WEBHOOK_SECRET", secret);
  const encryptionKey = remember("TOKEN_ENCRYPTION_KEY", secret);
  const standIn = await startGitHubStandIn({
    port: GITHUB_STAND_IN_PORT,
    users: [{ login: "demo", name: "Demo User" }],
    repos: [{ owner: "demo", name: "stats", demo: true }],
    app: {
      clientId: "Iv1.tandemdevstandin",
      clientSecret,
      webhookSecret,
      ...(existsSync(GITHUB_KEY_FILE) ? { privateKey: readFileSync(GITHUB_KEY_FILE, "utf8") } : {}),
    },
    webhookUrl: `http://127.0.0.1:${PORT}/api/github/webhook`,
  });
  if (!existsSync(GITHUB_KEY_FILE)) writeFileSync(GITHUB_KEY_FILE, standIn.app.privateKeyPkcs8, { mode: 0o600 });
  step(`GitHub: STAND-IN on ${standIn.url} (no GitHub App configured) — "Sign in with GitHub" signs you in as demo`);
  return {
    vars: [
      `GITHUB_APP_ID:${standIn.app.id}`,
      `GITHUB_APP_SLUG:${standIn.app.slug}`,
      `GITHUB_CLIENT_ID:${standIn.app.clientId}`,
      `GITHUB_CLIENT_SECRET:${clientSecret}`,
      `GITHUB_WEBHOOK_SECRET:${webhookSecret}`,
      `GITHUB_APP_PRIVATE_KEY:${standIn.app.privateKeyPkcs8.trim().replaceAll("\n", "\\n")}`,
      `GITHUB_API_URL:${standIn.url}`,
      `GITHUB_WEB_URL:${standIn.url}`,
      `TOKEN_ENCRYPTION_KEY:${encryptionKey}`,
    ],
    cloneUrl: standIn.gitUrl("demo", "stats"),
    async demoHead() {
      const { accessToken } = standIn.issueUserToken("demo");
      const branch = await fetch(`${standIn.url}/repos/demo/stats/branches/main`, {
        headers: { authorization: `Bearer ${accessToken}` },
      });
      return branch.ok ? ((await branch.json()) as { commit: { sha: string } }).commit.sha : null;
    },
    stop: () => standIn.stop(),
  };
}
