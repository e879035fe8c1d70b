// Git plumbing on the stand-in's bare repositories, run asynchronously so the server never blocks.
import { execFile } from "node:child_process";
import { mkdir } from "node:fs/promises";
import { dirname } from "node:path";

/** The environment git runs in: the caller's git settings (hooks, signing, templates) left out. */
export function gitEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const name of Object.keys(env)) if (name.startsWith("GIT_")) delete env[name];
  return { ...env, GIT_CONFIG_GLOBAL: "/dev/null", GIT_CONFIG_NOSYSTEM: "1", ...extra };
}

/** What a git command printed and how it ended. */
export interface GitResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs git in `dir`; a non-zero exit is a result, not an exception. */
export function git(
  dir: string,
  args: string[],
  env: Record<string, string> = {},
): Promise<GitResult> {
  return new Promise((resolve, reject) => {
    execFile(
      "git",
      args,
      { cwd: dir, env: gitEnv(env), maxBuffer: 64 * 1024 * 1024, encoding: "utf8" },
      (error, stdout, stderr) => {
        if (error && typeof error.code !== "number") return reject(error);
        resolve({ code: error ? (error.code as number) : 0, stdout, stderr });
      },
    );
  });
}

/** Runs git and returns its trimmed output; a failure throws with git's message. */
export async function gitOk(
  dir: string,
  args: string[],
  env: Record<string, string> = {},
): Promise<string> {
  const result = await git(dir, args, env);
  if (result.code !== 0)
    throw new Error(`git ${args.join(" ")} failed (${result.code}): ${result.stderr.trim()}`);
  return result.stdout.trim();
}

/**
 * Creates the bare repository `dir` on `defaultBranch`: a copy of the repository at `from` (a
 * working tree or a bare repository), or empty. Pushes over HTTP are allowed in it.
 */
export async function createBareRepo(
  dir: string,
  defaultBranch: string,
  from?: string,
): Promise<void> {
  await mkdir(dirname(dir), { recursive: true });
  if (from) {
    await gitOk(dirname(dir), ["clone", "--bare", "--quiet", "--no-hardlinks", from, dir]);
    await gitOk(dir, ["remote", "remove", "origin"]);
  } else {
    await gitOk(dirname(dir), [
      "init",
      "--bare",
      "--quiet",
      "--template=",
      `--initial-branch=${defaultBranch}`,
      dir,
    ]);
  }
  await gitOk(dir, ["symbolic-ref", "HEAD", `refs/heads/${defaultBranch}`]);
  await gitOk(dir, ["config", "http.receivepack", "true"]);
}

/** Every branch and tag: full ref name → commit id. */
export async function listRefs(dir: string): Promise<Map<string, string>> {
  const out = await gitOk(dir, [
    "for-each-ref",
    "--format=%(refname) %(objectname)",
    "refs/heads",
    "refs/tags",
  ]);
  const refs = new Map<string, string>();
  for (const line of out.split("\n")) {
    const [name, sha] = line.split(" ");
    if (name && sha) refs.set(name, sha);
  }
  return refs;
}

/** The commit a branch points at, or null when there is no such branch. */
export async function branchSha(dir: string, branch: string): Promise<string | null> {
  const result = await git(dir, [
    "rev-parse",
    "--verify",
    "--quiet",
    `refs/heads/${branch}^{commit}`,
  ]);
  return result.code === 0 ? result.stdout.trim() : null;
}

/** A person line of a commit. */
export interface GitPerson {
  name: string;
  email: string;
  /** ISO 8601, as git wrote it. */
  date: string;
}

/** One commit's metadata. */
export interface CommitInfo {
  sha: string;
  tree: string;
  parents: string[];
  author: GitPerson;
  committer: GitPerson;
  message: string;
}

const COMMIT_FORMAT = ["%H", "%T", "%P", "%an", "%ae", "%aI", "%cn", "%ce", "%cI", "%B"].join(
  "%x00",
);

/** The commit's metadata. */
export async function commitInfo(dir: string, sha: string): Promise<CommitInfo> {
  const out = await gitOk(dir, ["show", "-s", `--format=${COMMIT_FORMAT}`, sha]);
  const [commit, tree, parents, an, ae, ad, cn, ce, cd, ...message] = out.split("\0");
  return {
    sha: commit!,
    tree: tree!,
    parents: parents ? parents.split(" ").filter(Boolean) : [],
    author: { name: an!, email: ae!, date: ad! },
    committer: { name: cn!, email: ce!, date: cd! },
    message: message.join("\0").trimEnd(),
  };
}

/** Commits reachable from `head` but from none of `exclude`, oldest first. */
export async function commitsBetween(
  dir: string,
  head: string,
  exclude: string[],
): Promise<string[]> {
  const out = await gitOk(dir, ["rev-list", "--reverse", head, ...exclude.map((sha) => `^${sha}`)]);
  return out.split("\n").filter(Boolean);
}

/** Paths a commit added, removed and modified (against its first parent). */
export async function changedPaths(
  dir: string,
  sha: string,
): Promise<{ added: string[]; removed: string[]; modified: string[] }> {
  const out = await gitOk(dir, [
    "diff-tree",
    "--no-commit-id",
    "--name-status",
    "-r",
    "--root",
    sha,
  ]);
  const paths = { added: [] as string[], removed: [] as string[], modified: [] as string[] };
  for (const line of out.split("\n")) {
    const [status, path] = line.split("\t");
    if (!status || !path) continue;
    if (status.startsWith("A")) paths.added.push(path);
    else if (status.startsWith("D")) paths.removed.push(path);
    else paths.modified.push(path);
  }
  return paths;
}

/** Lines added and deleted and files changed from the merge base of `base` and `head` to `head`. */
export async function diffStats(
  dir: string,
  base: string,
  head: string,
): Promise<{ additions: number; deletions: number; changedFiles: number; commits: number }> {
  const numstat = await gitOk(dir, ["diff", "--numstat", `${base}...${head}`]);
  let additions = 0;
  let deletions = 0;
  let changedFiles = 0;
  for (const line of numstat.split("\n").filter(Boolean)) {
    const [added, deleted] = line.split("\t");
    additions += Number(added) || 0;
    deletions += Number(deleted) || 0;
    changedFiles += 1;
  }
  const commits = Number(await gitOk(dir, ["rev-list", "--count", `${base}..${head}`]));
  return { additions, deletions, changedFiles, commits };
}

/** The tree of `head` merged into `base`, or null when they conflict. */
export async function mergeTree(dir: string, base: string, head: string): Promise<string | null> {
  const result = await git(dir, ["merge-tree", "--write-tree", base, head]);
  if (result.code === 1) return null;
  if (result.code !== 0) throw new Error(`git merge-tree failed: ${result.stderr.trim()}`);
  return result.stdout.split("\n")[0]!.trim();
}

/** Writes a commit of `tree` with `parents`, authored and committed by `person` now. */
export async function commitTree(
  dir: string,
  tree: string,
  parents: string[],
  message: string,
  person: { name: string; email: string; date: string },
): Promise<string> {
  const args = ["commit-tree", tree, ...parents.flatMap((parent) => ["-p", parent]), "-m", message];
  return gitOk(dir, args, {
    GIT_AUTHOR_NAME: person.name,
    GIT_AUTHOR_EMAIL: person.email,
    GIT_AUTHOR_DATE: person.date,
    GIT_COMMITTER_NAME: person.name,
    GIT_COMMITTER_EMAIL: person.email,
    GIT_COMMITTER_DATE: person.date,
  });
}

/** Moves a branch from `oldSha` to `newSha`; false when it no longer pointed at `oldSha`. */
export async function moveBranch(
  dir: string,
  branch: string,
  newSha: string,
  oldSha: string,
): Promise<boolean> {
  const result = await git(dir, ["update-ref", `refs/heads/${branch}`, newSha, oldSha]);
  return result.code === 0;
}
