// D1 administration through wrangler: apply migrations, create users and tokens (local or remote).
import { execFile } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { promisify } from "node:util";
import { newId } from "../protocol/ids.ts";

const run = promisify(execFile);

/** Where the local platform keeps its state (wrangler's default). */
export const DEFAULT_PERSIST_DIR = ".wrangler/state";

const wranglerEnv = {
  ...process.env,
  WRANGLER_SEND_METRICS: "false",
  CLOUDFLARE_CF_FETCH_ENABLED: "false",
};

async function wrangler(args: string[]): Promise<string> {
  const { stdout } = await run("npx", ["wrangler", ...args], {
    env: wranglerEnv,
    maxBuffer: 16 * 1024 * 1024,
  });
  return stdout;
}

/** Which database: the local one in a state folder, or the deployed one. */
export type D1Target = { persistTo: string } | "remote";

const targetArgs = (target: D1Target) =>
  target === "remote" ? ["--remote"] : ["--local", "--persist-to", target.persistTo];

/** Applies every D1 migration to the local database. */
export async function applyLocalMigrations(persistTo = DEFAULT_PERSIST_DIR): Promise<void> {
  await wrangler(["d1", "migrations", "apply", "DB", ...targetArgs({ persistTo })]);
}

/** Runs SQL against the database and returns the result rows. */
async function execute(sql: string, target: D1Target): Promise<Record<string, unknown>[]> {
  const out = await wrangler([
    "d1",
    "execute",
    "DB",
    ...targetArgs(target),
    "--json",
    "--command",
    sql,
  ]);
  const parsed = JSON.parse(out) as { results: Record<string, unknown>[] }[];
  return parsed.flatMap((statement) => statement.results ?? []);
}

const quote = (value: string) => `'${value.replaceAll("'", "''")}'`;

/** Finds or creates a user by login and gives them a new personal API token. */
export async function createLocalUserToken(
  login: string,
  options: { target?: D1Target; persistTo?: string; name?: string; tokenName?: string } = {},
): Promise<{ userId: string; login: string; token: string; created: boolean }> {
  const target = options.target ?? { persistTo: options.persistTo ?? DEFAULT_PERSIST_DIR };
  if (!/^[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}$/.test(login)) {
    throw new Error(
      `"${login}" is not a valid login: letters, digits and single hyphens, at most 39 characters.`,
    );
  }
  const now = Date.now();
  const existing = await execute(`SELECT id FROM users WHERE login = ${quote(login)}`, target);
  const userId = (existing[0]?.id as string | undefined) ?? newId("usr");
  const token = `tdm_${randomBytes(32).toString("base64url")}`;
  const tokenHash = createHash("sha256").update(token).digest("hex");
  const statements = [
    existing.length === 0
      ? `INSERT INTO users (id, login, name, created_at) VALUES (${quote(userId)}, ${quote(login)}, ${quote(options.name ?? login)}, ${now})`
      : "",
    `INSERT INTO api_tokens (id, user_id, name, token_hash, created_at) VALUES (${quote(newId("tok"))}, ${quote(userId)}, ${quote(options.tokenName ?? "local")}, ${quote(tokenHash)}, ${now})`,
  ].filter(Boolean);
  await execute(statements.join("; "), target);
  return { userId, login, token, created: existing.length === 0 };
}
