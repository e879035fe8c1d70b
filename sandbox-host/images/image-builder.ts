// Builds an image: clone at an exact commit with a one-time credential, run the recipe's steps
// in a sandbox over the new workspace, record a manifest, and publish it with one rename.
import { spawn } from "node:child_process";
import { closeSync, openSync } from "node:fs";
import { chown, lstat, mkdir, readFile, rename, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { newId } from "../../protocol/ids.ts";
import {
  BuildImageRequestSchema,
  type BuildEvent,
  type BuildImageRequest,
  type BuildStep,
  type Image,
  type Limits,
} from "../../protocol/sandbox-host.ts";
import { loadRecipe } from "../../sandbox-images/recipe-file.ts";
import { formatRecipeError } from "../../sandbox-images/recipe-parse.ts";
import { toBuildSteps, toLimits } from "../../sandbox-images/recipe-to-host.ts";
import { SandboxError } from "../../sandbox/provider.ts";
import type { HostConfig } from "../config.ts";
import { asOwner, removeTree, type HostMode } from "../host-mode.ts";
import { launchCommand } from "../isolation/bwrap.ts";
import type { CgroupAdapter } from "../isolation/cgroups.ts";
import type { HostPaths } from "../paths.ts";
import { runOrThrow } from "../run.ts";
import { withHostGit, type GitCredential } from "./host-git.ts";
import { MANIFEST } from "./image-store.ts";

/** Limits of build steps. */
const BUILD_LIMITS = { memoryBytes: 4 * 1024 ** 3, pids: 4_096, cpuMillis: 2_000 };

/** What building needs from the host. */
export interface ImageBuilderDeps {
  config: HostConfig;
  paths: HostPaths;
  cgroups: CgroupAdapter;
  mode: HostMode;
}

/** Builds one image; events stream build logs. Fails with build_failed and the reason. */
export async function buildImage(
  deps: ImageBuilderDeps,
  input: BuildImageRequest,
  emit: (event: BuildEvent) => void,
): Promise<Image> {
  const request = BuildImageRequestSchema.parse(input);
  const { paths, config, mode } = deps;
  const id = request.id ?? newId("img");
  if (await exists(paths.image(id))) {
    throw new SandboxError("invalid_input", `An image ${id} already exists on this host.`);
  }
  const staging = join(paths.building, id);
  const workspace = join(staging, "workspace");
  const log = (step: string, stream: "stdout" | "stderr" | "system", text: string) =>
    emit({ type: "log", step, stream, text });
  let current: string | null = "clone";
  try {
    await mkdir(staging, { recursive: true, mode: 0o700 });
    // A rootless host's files are its own user's already, which sandboxes see as theirs.
    if (!mode.rootless) await chown(staging, config.sandboxUid, config.sandboxUid);
    log("clone", "system", `cloning ${request.repo} at ${request.commit}`);
    await clone(request.cloneUrl, request.commit, workspace, request.credential);
    if (!mode.rootless)
      await runOrThrow("chown", ["-R", `${config.sandboxUid}:${config.sandboxUid}`, workspace]);
    // Rootless, every file must be the host user's and its group's (a setgid folder could give
    // them another): the sandbox's user namespace maps nothing else, and overlayfs cannot copy up
    // a file whose owner it cannot map.
    else await runOrThrow("chgrp", ["-hR", String(process.getgid?.() ?? 0), workspace]);
    current = "recipe";
    const recipe = request.recipeFromRepository
      ? await recipeOf(workspace, (text) => log("recipe", "system", text))
      : null;
    const plan = recipe ?? { steps: request.steps, env: request.env, limits: null };
    const steps: Image["steps"] = [];
    for (const step of plan.steps) {
      current = step.name;
      log(step.name, "system", `$ ${step.run}`);
      const result = await runStep(
        deps,
        id,
        workspace,
        step,
        plan.env,
        step.network ?? request.network,
        (stream, text) => log(step.name, stream, text),
      );
      steps.push({ name: step.name, exitCode: result.exitCode, durationMs: result.durationMs });
      if (result.exitCode !== 0) {
        const why = result.timedOut
          ? `timed out after ${step.timeoutSec} s`
          : `exited with ${result.exitCode}`;
        throw new SandboxError("build_failed", `Step "${step.name}" ${why}.`);
      }
    }
    current = null;
    const [du, ...duArgs] = asOwner(mode, ["du", "-sb", workspace]);
    const size = Number((await runOrThrow(du!, duArgs)).split("\t")[0]);
    const image: Image = {
      id,
      repo: request.repo,
      commit: request.commit,
      createdAt: Date.now(),
      sizeBytes: size,
      steps,
      limits: plan.limits,
    };
    await writeFile(join(staging, MANIFEST), JSON.stringify(image));
    await mkdir(paths.images, { recursive: true });
    await rename(staging, paths.image(id));
    emit({ type: "done", image });
    return image;
  } catch (error) {
    await removeTree(mode, staging).catch(() => {});
    const failure =
      error instanceof SandboxError
        ? error
        : new SandboxError("build_failed", error instanceof Error ? error.message : String(error));
    emit({ type: "failed", step: current, message: failure.message });
    throw failure;
  }
}

/**
 * The repository's own recipe. The workspace is the repository's to shape, so the recipe file
 * must be a regular file reached without symlinks: the host reads it as root.
 */
async function recipeOf(
  workspace: string,
  say: (text: string) => void,
): Promise<{ steps: BuildStep[]; env: Record<string, string>; limits: Limits }> {
  const loaded = await loadRecipe(async (path) => {
    for (const part of [".tandem", path]) {
      const info = await lstat(join(workspace, part)).catch(() => null);
      if (!info) return null;
      if (info.isSymbolicLink()) {
        throw new SandboxError(
          "build_failed",
          `${part} is a symbolic link; a recipe must be a regular file.`,
        );
      }
    }
    return readFile(join(workspace, path), "utf8");
  });
  if (!loaded.ok) {
    const errors = loaded.errors.map(formatRecipeError).join("\n");
    throw new SandboxError("build_failed", `The recipe is not valid:\n${errors}`);
  }
  say(
    loaded.file ? `using the recipe in ${loaded.file}` : "no .tandem/image.yaml: no steps to run",
  );
  return {
    steps: toBuildSteps(loaded.recipe),
    env: loaded.recipe.env,
    limits: toLimits(loaded.recipe),
  };
}

const exists = (path: string) =>
  stat(path).then(
    () => true,
    () => false,
  );

/** Clones at an exact commit; the credential never reaches the disk (see host-git.ts). A local
 * clone copies the objects rather than hard-linking them: giving the image's files to the
 * sandbox user must not change the owner of the repository's files. */
async function clone(
  url: string,
  commit: string,
  into: string,
  credential?: GitCredential,
): Promise<void> {
  await withHostGit(credential, async (git) => {
    await git(["clone", "--quiet", "--no-checkout", "--no-hardlinks", "--", url, into]);
    await git(["-C", into, "checkout", "--quiet", "--detach", commit]);
  });
}

interface StepResult {
  exitCode: number | null;
  timedOut: boolean;
  durationMs: number;
}

/** Runs one step as the sandbox user in a sandbox over the workspace being built. */
async function runStep(
  deps: ImageBuilderDeps,
  imageId: string,
  workspace: string,
  step: BuildStep,
  env: Record<string, string>,
  network: boolean,
  onLine: (stream: "stdout" | "stderr", text: string) => void,
): Promise<StepResult> {
  const cgroupName = `build-${imageId}`;
  const cgroup = await deps.cgroups.create(cgroupName, BUILD_LIMITS);
  const seccompFd = openSync(deps.paths.seccompFilter, "r");
  const started = performance.now();
  try {
    const launch = launchCommand({
      workspace,
      uid: deps.config.sandboxUid,
      gid: deps.config.sandboxUid,
      rootless: deps.mode.rootless,
      env,
      hostname: "sandbox",
      seccompFd: 3,
      etcDir: deps.paths.etc,
      agentPath: "",
      cgroup,
      command: ["/bin/sh", "-c", step.run],
    });
    const args = network ? withHostNetwork(launch.args) : launch.args;
    const child = spawn(launch.command, args, { stdio: ["ignore", "pipe", "pipe", seccompFd] });
    for (const stream of ["stdout", "stderr"] as const) {
      let pending = "";
      const pipe = child[stream]!;
      pipe.on("data", (chunk: Buffer) => {
        const lines = (pending + chunk.toString()).split("\n");
        pending = lines.pop() ?? "";
        for (const line of lines) onLine(stream, line);
      });
      pipe.on("end", () => pending && onLine(stream, pending));
    }
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill("SIGKILL");
    }, step.timeoutSec * 1000);
    const exitCode = await new Promise<number | null>((resolve) =>
      child.on("close", (code) => resolve(code)),
    );
    clearTimeout(timer);
    return {
      exitCode: timedOut ? null : exitCode,
      timedOut,
      durationMs: Math.round(performance.now() - started),
    };
  } finally {
    closeSync(seccompFd);
    await deps.cgroups.remove(cgroupName).catch(() => {});
  }
}

/** Build steps that need to download dependencies may share the host's network; sessions never do. */
function withHostNetwork(args: string[]): string[] {
  // The last "--" separates bwrap's options from the command it runs.
  const end = args.lastIndexOf("--");
  const extra = [
    "--share-net",
    "--ro-bind-try",
    "/etc/resolv.conf",
    "/etc/resolv.conf",
    "--ro-bind-try",
    "/etc/hosts",
    "/etc/hosts",
  ];
  return [...args.slice(0, end), ...extra, ...args.slice(end)];
}
