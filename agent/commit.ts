// The end of a turn that changed files: one commit on the session's branch, authored by the person
// whose prompt produced it. Git runs inside the sandbox with the workspace's hooks ignored.
import type { ToolSandbox } from "./tools/tool.ts";
import { decodeOutput } from "./tools/output.ts";

/** Who a commit is by. */
export interface GitIdentity {
  name: string;
  email: string;
}

/** A commit the turn made. */
export interface TurnCommit {
  sha: string;
  branch: string;
  message: string;
  files: string[];
}

/** Tandem commits as the committer; the author is the prompting person. */
export const COMMITTER: GitIdentity = { name: "Tandem", email: "agent@tandem.invalid" };

/** The commit message: the prompt's first line as the subject, then who asked and where. */
export function commitMessage(input: {
  prompt: string;
  author: { login: string; name: string | null };
  sessionId: string;
}): string {
  const firstLine = input.prompt.trim().split("\n")[0]!.trim();
  const subject = firstLine.length > 72 ? `${firstLine.slice(0, 71).trimEnd()}…` : firstLine;
  const who = input.author.name
    ? `${input.author.name} (@${input.author.login})`
    : `@${input.author.login}`;
  return `${subject}\n\nPrompted by ${who} in Tandem session ${input.sessionId}.\n`;
}

/** Commits every change in the workspace; null when nothing changed. */
export async function commitChanges(
  sandbox: ToolSandbox,
  input: { author: GitIdentity; message: string },
): Promise<TurnCommit | null> {
  const git = async (args: string[], env: Record<string, string> = {}) => {
    const result = await sandbox.exec({
      argv: ["git", "-c", "core.hooksPath=/dev/null", "-c", "color.ui=never", ...args],
      env,
      timeoutMs: 60_000,
    });
    const stdout = decodeOutput(result.stdout);
    if (result.exitCode !== 0) {
      throw new Error(
        `git ${args[0]} failed: ${decodeOutput(result.stderr).trim() || stdout.trim()}`,
      );
    }
    return stdout;
  };
  if ((await git(["status", "--porcelain"])).trim() === "") return null;
  await git(["add", "-A"]);
  await git(["commit", "--no-verify", "--quiet", "-m", input.message], {
    GIT_AUTHOR_NAME: input.author.name,
    GIT_AUTHOR_EMAIL: input.author.email,
    GIT_COMMITTER_NAME: COMMITTER.name,
    GIT_COMMITTER_EMAIL: COMMITTER.email,
  });
  const sha = (await git(["rev-parse", "HEAD"])).trim();
  const branch = (await git(["rev-parse", "--abbrev-ref", "HEAD"])).trim();
  const files = (await git(["diff-tree", "--root", "--no-commit-id", "--name-only", "-r", "HEAD"]))
    .split("\n")
    .filter(Boolean);
  return { sha, branch, message: input.message, files };
}
