// Test support: real overlay workspaces and sandbox runs for the isolation tests (root + bwrap).
import { spawn } from "node:child_process";
import { chmod, chown, mkdir, mkdtemp, open, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { findBubblewrap, launchCommand, type SandboxLaunch } from "./bwrap.ts";
import { mountOverlay, overlayMountsUnder, unmount, type OverlayDirs } from "./overlay.ts";
import { seccompFilter } from "./seccomp.ts";

/** The unprivileged host uid/gid the tests run sandboxes as. */
export const TEST_UID = 64000;
export const TEST_GID = 64000;

/** Why sandbox tests cannot run here, or null when they can. */
export async function sandboxSkipReason(): Promise<string | null> {
  if (process.getuid?.() !== 0) return "skipped: needs root to mount overlays and switch uid";
  if (!(await findBubblewrap()))
    return "skipped: bubblewrap missing (apt-get install -y bubblewrap)";
  return null;
}

/** A describe title that carries the skip reason when there is one. */
export function titled(title: string, skip: string | null): string {
  return skip ? `${title} (${skip})` : title;
}

/** A scratch directory for one test file: overlays, agent script, seccomp file, etc files. */
export class Scratch {
  readonly base: string;
  private constructor(base: string) {
    this.base = base;
  }

  static async create(prefix: string): Promise<Scratch> {
    const base = await mkdtemp(join(tmpdir(), `tandem-${prefix}-`));
    // bwrap opens bind sources as the sandbox uid: every parent must be traversable.
    await chmod(base, 0o711);
    return new Scratch(base);
  }

  /** A mounted overlay workspace whose image holds `files`, owned by the sandbox uid. */
  async workspace(name: string, files: Record<string, string> = {}): Promise<OverlayDirs> {
    const root = join(this.base, name);
    const dirs = {
      lower: join(root, "lower"),
      upper: join(root, "upper"),
      work: join(root, "work"),
      merged: join(root, "merged"),
    };
    await mkdir(root, { mode: 0o711 });
    for (const d of Object.values(dirs)) await mkdir(d, { mode: 0o755 });
    for (const [path, text] of Object.entries(files)) {
      await writeFile(join(dirs.lower, path), text);
      await chown(join(dirs.lower, path), TEST_UID, TEST_GID);
    }
    await chown(dirs.lower, TEST_UID, TEST_GID);
    await chown(dirs.upper, TEST_UID, TEST_GID);
    await mountOverlay(dirs);
    return dirs;
  }

  /** A file readable by the sandbox uid. */
  async file(name: string, text: string | Uint8Array): Promise<string> {
    const path = join(this.base, name);
    await writeFile(path, text, { mode: 0o644 });
    return path;
  }

  /** This host's seccomp filter in a file, for runSandbox's `seccompFile`. */
  async seccompFile(): Promise<string> {
    return this.file("filter.bpf", seccompFilter());
  }

  /** A directory owned by the sandbox uid. */
  async dir(name: string): Promise<string> {
    const path = join(this.base, name);
    await mkdir(path, { mode: 0o755 });
    await chown(path, TEST_UID, TEST_GID);
    return path;
  }

  /** Unmounts every overlay under the scratch dir and deletes it. */
  async dispose(): Promise<void> {
    for (const m of await overlayMountsUnder(this.base)) await unmount(m);
    await rm(this.base, { recursive: true, force: true });
  }
}

export interface RunResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** The launch fields every test sandbox shares. */
export function testLaunch(
  workspace: string,
  agentPath: string,
  extra: Partial<SandboxLaunch> = {},
): SandboxLaunch {
  return {
    workspace,
    agentPath,
    uid: TEST_UID,
    gid: TEST_GID,
    env: {},
    hostname: "sandbox-test",
    ...extra,
  };
}

/** Runs a sandbox to completion (SIGKILL after `timeoutMs` or on `signal`). With
 * `seccompFile`, that file's filter is handed to bwrap on fd 3. */
export async function runSandbox(
  launch: SandboxLaunch,
  options: { seccompFile?: string; timeoutMs?: number; signal?: AbortSignal } = {},
): Promise<RunResult> {
  const filter = options.seccompFile ? await open(options.seccompFile, "r") : undefined;
  try {
    const { command, args } = launchCommand(filter ? { ...launch, seccompFd: 3 } : launch);
    const child = spawn(command, args, {
      stdio: ["ignore", "pipe", "pipe", ...(filter ? [filter.fd] : [])],
      signal: options.signal,
      killSignal: "SIGKILL",
    });
    if (!child.stdout || !child.stderr) throw new Error("spawn gave no stdout/stderr pipes");
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (d: string) => (stdout += d));
    child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
    const timer = setTimeout(() => child.kill("SIGKILL"), options.timeoutMs ?? 10_000);
    const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>(
      (resolve, reject) => {
        child.on("error", (error) => (error.name === "AbortError" ? undefined : reject(error)));
        child.on("close", (c, s) => resolve([c, s]));
      },
    );
    clearTimeout(timer);
    return { code, signal, stdout, stderr };
  } finally {
    await filter?.close();
  }
}
