// The demo repository: a tiny Python project (test/demo-repo/files) that the rehearsal works on and
// the offline quick start, tests and benchmarks clone. Needs git and, to run its tests, python3.
import { execFile } from "node:child_process";
import { mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

const run = promisify(execFile);

const FILES_DIR = fileURLToPath(new URL("./files/", import.meta.url));

/** The author and committer of the demo repository's one commit. */
export const DEMO_AUTHOR = { name: "Tandem Demo", email: "demo@tandem.invalid" };
/** A fixed date, so the commit id is the same every time. */
const COMMIT_DATE = "2026-01-01T00:00:00Z";

/** The demo repository's files, path → content; caches left by running its tests are skipped. */
export async function demoFiles(): Promise<Map<string, string>> {
  const entries = await readdir(FILES_DIR, { recursive: true, withFileTypes: true });
  const files = new Map<string, string>();
  for (const entry of entries) {
    if (!entry.isFile()) continue;
    const path = relative(FILES_DIR, join(entry.parentPath, entry.name));
    if (path.split("/").includes("__pycache__")) continue;
    files.set(path, await readFile(join(FILES_DIR, path), "utf8"));
  }
  return new Map([...files].sort(([a], [b]) => a.localeCompare(b)));
}

/**
 * Writes the demo repository into `dir` (created if missing; it should be empty) as a fresh git
 * repository with one commit on `main`. Returns the directory and the commit id.
 */
export async function createDemoRepo(dir: string): Promise<{ dir: string; commit: string }> {
  await mkdir(dir, { recursive: true });
  for (const [path, content] of await demoFiles()) {
    await mkdir(dirname(join(dir, path)), { recursive: true });
    await writeFile(join(dir, path), content);
  }
  // The caller's git configuration (signing, hooks, templates) must not change the commit.
  const env = { ...process.env };
  for (const name of Object.keys(env)) if (name.startsWith("GIT_")) delete env[name];
  Object.assign(env, {
    GIT_CONFIG_GLOBAL: "/dev/null",
    GIT_CONFIG_NOSYSTEM: "1",
    GIT_AUTHOR_NAME: DEMO_AUTHOR.name,
    GIT_AUTHOR_EMAIL: DEMO_AUTHOR.email,
    GIT_AUTHOR_DATE: COMMIT_DATE,
    GIT_COMMITTER_NAME: DEMO_AUTHOR.name,
    GIT_COMMITTER_EMAIL: DEMO_AUTHOR.email,
    GIT_COMMITTER_DATE: COMMIT_DATE,
  });
  const git = (...args: string[]) => run("git", args, { cwd: dir, env });
  await git("init", "--quiet", "--initial-branch=main", "--template=");
  await git("add", "--all");
  await git(
    "commit",
    "--quiet",
    "--no-verify",
    "--message",
    "Demo repository: stats module with tests",
  );
  const { stdout } = await git("rev-parse", "HEAD");
  return { dir, commit: stdout.trim() };
}
