// Makes small real git repositories for sandbox tests.
import { execFile } from "node:child_process";
import { rmSync } from "node:fs";
import { mkdtemp, mkdir, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

/** A repository on disk and the commits made in it. */
export interface TestRepo {
  dir: string;
  commits: string[];
  /** Commits more files and returns the new commit. */
  commit(files: Record<string, string>, message?: string): Promise<string>;
}

const created: string[] = [];
// Test repositories live as long as the test process.
process.once("exit", () => {
  for (const dir of created) rmSync(dir, { recursive: true, force: true });
});

/** Creates a repository whose first commit holds `files`; it is removed when the process exits. */
export async function makeTestRepo(files: Record<string, string>): Promise<TestRepo> {
  const dir = await mkdtemp(join(tmpdir(), "tandem-repo-"));
  created.push(dir);
  const git = (...args: string[]) =>
    run("git", ["-C", dir, "-c", "user.name=Test", "-c", "user.email=test@example.com", ...args]);
  await git("init", "--quiet", "--initial-branch=main");
  const repo: TestRepo = {
    dir,
    commits: [],
    async commit(more, message = "change") {
      for (const [path, content] of Object.entries(more)) {
        await mkdir(dirname(join(dir, path)), { recursive: true });
        await writeFile(join(dir, path), content, { mode: path.endsWith(".sh") ? 0o755 : 0o644 });
      }
      await git("add", "--all");
      await git("commit", "--quiet", "-m", message);
      const { stdout } = await git("rev-parse", "HEAD");
      repo.commits.push(stdout.trim());
      return stdout.trim();
    },
  };
  await repo.commit(files, "initial");
  return repo;
}

/** A bare repository to clone from and push to, fed by a working repository. */
export interface TestRemote {
  url: string;
  commits: string[];
  /** Commits more files in the working repository and pushes them to the remote's main. */
  commit(files: Record<string, string>): Promise<string>;
  /** The commit a branch of the remote points at, or null. */
  head(branch: string): Promise<string | null>;
}

/** Creates a bare remote whose main holds `files`. */
export async function makeTestRemote(files: Record<string, string>): Promise<TestRemote> {
  const work = await makeTestRepo(files);
  const url = `${work.dir}-remote.git`;
  created.push(url);
  await run("git", ["clone", "--quiet", "--bare", work.dir, url]);
  return {
    url,
    commits: work.commits,
    async commit(more) {
      const commit = await work.commit(more);
      await run("git", ["-C", work.dir, "push", "--quiet", url, "main"]);
      return commit;
    },
    async head(branch) {
      const out = await run("git", [
        "-C",
        url,
        "rev-parse",
        "--verify",
        "--quiet",
        `refs/heads/${branch}`,
      ]).catch(() => null);
      return out ? out.stdout.trim() : null;
    },
  };
}
