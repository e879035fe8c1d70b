// The build role: one image build. The workspace is cloned from a bundle the git container made
// (this container never sees a credential), the recipe's steps run as the sandbox user, and the
// finished workspace is handed out as an archive for the provider to store.
import { spawn } from "node:child_process";
import { mkdir, rm } from "node:fs/promises";
import { join } from "node:path";
import { BuildPlanSchema, type ContainerBuildEvent } from "../../protocol/sandbox-container.ts";
import type { BuildStep } from "../../protocol/sandbox-host.ts";
import { SandboxError } from "../../sandbox/provider.ts";
import { withHostGit } from "../../sandbox-host/images/host-git.ts";
import { ndjson, parse } from "../../sandbox-host/http-json.ts";
import { runOrThrow } from "../../sandbox-host/run.ts";
import { asSandboxUser, sandboxEnv, WORKSPACE, type ContainerConfig } from "./container-config.ts";
import { readFramed, sendFile, type Route } from "./http-kit.ts";

/** Processes a build step may run at once. */
const BUILD_PIDS = 4_096;
/** The temporary ref a build bundle carries its commit under. */
export const BUILD_REF = "refs/tandem/build";

/** The build role's routes. */
export function buildRole(config: ContainerConfig): { routes: Route[] } {
  const scratch = join(config.stateDir, "scratch");
  let built = false;
  const routes: Route[] = [
    [
      "POST",
      /^\/v1\/build$/,
      async (req, res) => {
        await mkdir(scratch, { recursive: true, mode: 0o700 });
        const bundle = join(scratch, "clone.bundle");
        const plan = parse(BuildPlanSchema, await readFramed(req, bundle));
        if (built) throw new SandboxError("invalid_input", "This container has built already.");
        built = true;
        const emit = ndjson<ContainerBuildEvent>(res);
        const log = (step: string, stream: "stdout" | "stderr" | "system", text: string) =>
          emit({ type: "log", step, stream, text });
        let current: string | null = "clone";
        try {
          log("clone", "system", `cloning at ${plan.commit}`);
          await cloneFromBundle(bundle, plan.cloneUrl, plan.commit);
          await rm(bundle, { force: true });
          await runOrThrow("chown", ["-R", `${config.sandboxUid}:${config.sandboxUid}`, WORKSPACE]);
          const steps: Extract<ContainerBuildEvent, { type: "done" }>["steps"] = [];
          for (const step of plan.steps) {
            current = step.name;
            log(step.name, "system", `$ ${step.run}`);
            const result = await runStep(config, step, plan.env, (stream, text) =>
              log(step.name, stream, text),
            );
            steps.push({
              name: step.name,
              exitCode: result.exitCode,
              durationMs: result.durationMs,
            });
            if (result.exitCode !== 0) {
              const why = result.timedOut
                ? `timed out after ${step.timeoutSec} s`
                : `exited with ${result.exitCode}`;
              throw new SandboxError("build_failed", `Step "${step.name}" ${why}.`);
            }
          }
          const size = Number((await runOrThrow("du", ["-sb", WORKSPACE])).split("\t")[0]);
          emit({ type: "done", steps, sizeBytes: size });
        } catch (error) {
          const message = error instanceof Error ? error.message : String(error);
          emit({ type: "failed", step: current, message });
        }
        res.end();
      },
    ],
    [
      "GET",
      /^\/v1\/workspace$/,
      async (_req, res) => {
        if (!built) throw new SandboxError("invalid_input", "Nothing has been built here.");
        await mkdir(scratch, { recursive: true, mode: 0o700 });
        const archive = join(scratch, "workspace.tar.zst");
        await runOrThrow("sh", [
          "-c",
          'tar --create --file=- --numeric-owner -C / "$1" | zstd -q -3 -f -o "$2"',
          "sh",
          WORKSPACE.slice(1),
          archive,
        ]);
        await sendFile(res, archive);
      },
    ],
  ];
  return { routes };
}

/** Clones the workspace from the bundle at an exact commit, with `cloneUrl` as its origin. */
async function cloneFromBundle(bundle: string, cloneUrl: string, commit: string): Promise<void> {
  await withHostGit(undefined, async (git) => {
    await git(["init", "--quiet", "--initial-branch=main", WORKSPACE]);
    await git([
      "-C",
      WORKSPACE,
      "fetch",
      "--quiet",
      "--no-tags",
      bundle,
      `${BUILD_REF}:${BUILD_REF}`,
    ]);
    await git(["-C", WORKSPACE, "checkout", "--quiet", "--detach", commit]);
    await git(["-C", WORKSPACE, "update-ref", "-d", BUILD_REF]);
    await git(["-C", WORKSPACE, "remote", "add", "origin", cloneUrl]);
  });
}

interface StepResult {
  exitCode: number | null;
  timedOut: boolean;
  durationMs: number;
}

/** Runs one step as the sandbox user in its own process group, killed whole at its timeout. */
async function runStep(
  config: ContainerConfig,
  step: BuildStep,
  env: Record<string, string>,
  onLine: (stream: "stdout" | "stderr", text: string) => void,
): Promise<StepResult> {
  const started = performance.now();
  const [command, ...args] = asSandboxUser(config.sandboxUid, BUILD_PIDS, [
    "/bin/sh",
    "-c",
    step.run,
  ]);
  const child = spawn(command!, args, {
    cwd: WORKSPACE,
    env: sandboxEnv(env),
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  for (const stream of ["stdout", "stderr"] as const) {
    let pending = "";
    const pipe = child[stream];
    pipe.on("data", (chunk: Buffer) => {
      const lines = (pending + chunk.toString()).split("\n");
      pending = lines.pop() ?? "";
      for (const line of lines) onLine(stream, line);
    });
    pipe.on("end", () => pending && onLine(stream, pending));
  }
  const killGroup = () => {
    try {
      if (child.pid) process.kill(-child.pid, "SIGKILL");
    } catch {
      // The group is gone.
    }
  };
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    killGroup();
  }, step.timeoutSec * 1000);
  const exitCode = await new Promise<number | null>((resolve) => {
    child.on("error", () => resolve(127));
    // Background children must not outlive their step, nor hold its pipes open.
    child.on("exit", killGroup);
    child.on("close", (code) => resolve(code));
  });
  clearTimeout(timer);
  return {
    exitCode: timedOut ? null : exitCode,
    timedOut,
    durationMs: Math.round(performance.now() - started),
  };
}
