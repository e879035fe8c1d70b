// The real git command line for the stand-in's tests, run asynchronously (the stand-in serves from
// the same process) in a temporary working tree, with no user or system configuration.
import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** What a git command printed and how it ended. */
export interface GitRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** A temporary working tree and git run in it as one author. */
export interface GitClient {
  dir: string;
  /** Runs git; never throws on a non-zero exit. */
  run(...args: string[]): Promise<GitRun>;
  /** Runs git and fails the test on a non-zero exit. */
  ok(...args: string[]): Promise<string>;
  write(path: string, content: string): Promise<void>;
  remove(): Promise<void>;
}

/** The Basic credential GitHub takes for git: `x-access-token:<token>`. */
export const basicHeader = (token: string): string =>
  `Authorization: Basic ${Buffer.from(`x-access-token:${token}`).toString("base64")}`;

/** A client committing as `author`. */
export async function createGitClient(
  author = { name: "Alice", email: "alice@tandem.invalid" },
): Promise<GitClient> {
  const dir = await mkdtemp(join(tmpdir(), "github-stand-in-client-"));
  const env = { ...process.env };
  for (const name of Object.keys(env)) if (name.startsWith("GIT_")) delete env[name];
  Object.assign(env, {
    GIT_CONFIG_GLOBAL: "/dev/null",
    GIT_CONFIG_NOSYSTEM: "1",
    GIT_TERMINAL_PROMPT: "0",
    GIT_AUTHOR_NAME: author.name,
    GIT_AUTHOR_EMAIL: author.email,
    GIT_COMMITTER_NAME: author.name,
    GIT_COMMITTER_EMAIL: author.email,
  });
  const run = (...args: string[]) =>
    new Promise<GitRun>((resolve) => {
      execFile("git", args, { cwd: dir, env }, (error, stdout, stderr) => {
        resolve({ code: error ? Number(error.code) || 1 : 0, stdout, stderr });
      });
    });
  return {
    dir,
    run,
    async ok(...args) {
      const result = await run(...args);
      if (result.code !== 0) throw new Error(`git ${args.join(" ")} failed: ${result.stderr}`);
      return result.stdout;
    },
    write: (path, content) => writeFile(join(dir, path), content),
    remove: () => rm(dir, { recursive: true, force: true }),
  };
}
