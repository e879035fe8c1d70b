// git run by the host against remote repositories, with a credential that lives only in the
// environment of that one git process (handed over by an askpass script, never written to disk).
import { chmod, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runOrThrow } from "../run.ts";

/** A credential for one git operation. */
export interface GitCredential {
  username: string;
  password: string;
}

/** Runs `use` with a git runner that authenticates with `credential` and ignores hooks and helpers. */
export async function withHostGit<T>(
  credential: GitCredential | undefined,
  use: (git: (args: string[]) => Promise<string>) => Promise<T>,
): Promise<T> {
  const helperDir = await mkdtemp(join(tmpdir(), "tandem-askpass-"));
  const askpass = join(helperDir, "askpass.sh");
  await writeFile(
    askpass,
    '#!/bin/sh\ncase "$1" in Username*) printf %s "$TANDEM_GIT_USERNAME";; *) printf %s "$TANDEM_GIT_PASSWORD";; esac\n',
  );
  await chmod(askpass, 0o700);
  const env: Record<string, string | undefined> = {
    PATH: process.env.PATH,
    HOME: helperDir,
    GIT_TERMINAL_PROMPT: "0",
    GIT_CONFIG_NOSYSTEM: "1",
    GIT_ASKPASS: askpass,
    TANDEM_GIT_USERNAME: credential?.username ?? "",
    TANDEM_GIT_PASSWORD: credential?.password ?? "",
  };
  const git = (args: string[]) =>
    runOrThrow("git", ["-c", "credential.helper=", "-c", "core.hooksPath=/dev/null", ...args], {
      env,
    });
  try {
    return await use(git);
  } finally {
    await rm(helperDir, { recursive: true, force: true });
  }
}

/** The commit a branch of a remote repository points at. */
export async function resolveBranch(
  cloneUrl: string,
  branch: string,
  credential?: GitCredential,
): Promise<string | null> {
  const out = await withHostGit(credential, (git) =>
    git(["ls-remote", "--", cloneUrl, `refs/heads/${branch}`]),
  );
  const commit = out.split(/\s/)[0];
  return commit && /^[0-9a-f]{40,64}$/.test(commit) ? commit : null;
}
