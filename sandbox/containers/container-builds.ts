// Image builds on Cloudflare Containers. An image is a prepared workspace, not a container image
// (that one is deployed with the Worker): the remote's git container bundles the commit, a build
// container clones it and runs the recipe's steps, and its workspace archive goes to the store.
import { newId } from "../../protocol/ids.ts";
import {
  ContainerBuildEventSchema,
  type ContainerBuildEvent,
} from "../../protocol/sandbox-container.ts";
import {
  BuildImageRequestSchema,
  BuildStepSchema,
  type BuildEvent,
  type BuildImageRequest,
  type BuildStep,
  type Image,
  type Limits,
} from "../../protocol/sandbox-host.ts";
import { loadRecipe } from "../../sandbox-images/recipe-file.ts";
import { formatRecipeError } from "../../sandbox-images/recipe-parse.ts";
import { RECIPE_FILES } from "../../sandbox-images/recipe.ts";
import { toBuildSteps, toLimits } from "../../sandbox-images/recipe-to-host.ts";
import { SandboxError } from "../provider.ts";
import {
  call,
  framed,
  lengthOf,
  readLines,
  startContainer,
  stopContainer,
  type ContainerNamespace,
} from "./container-calls.ts";
import { gitContainer, readRemoteFiles } from "./container-git.ts";
import { KEYS, type SandboxIndex } from "./sandbox-index.ts";

/** What a build needs. */
export interface BuildContext {
  containers: ContainerNamespace;
  index: SandboxIndex;
  now: () => number;
}

/** Builds an image; fails with build_failed and the reason (the failing step named). */
export async function buildInContainers(
  context: BuildContext,
  input: BuildImageRequest,
  onEvent?: (event: BuildEvent) => void,
): Promise<Image> {
  const request = BuildImageRequestSchema.parse(input);
  const id = request.id ?? newId("img");
  if (await context.index.image(id))
    throw new SandboxError("invalid_input", `An image ${id} exists already.`);
  const emit = (event: BuildEvent) => onEvent?.(event);
  const builder = context.containers.get(`build-${id}`);
  let current: string | null = "clone";
  let reported = false;
  try {
    emit({
      type: "log",
      step: "clone",
      stream: "system",
      text: `cloning ${request.repo} at ${request.commit}`,
    });
    const git = await gitContainer(context.containers, request.cloneUrl);
    const remote = {
      cloneUrl: request.cloneUrl,
      ...(request.credential ? { credential: request.credential } : {}),
    };
    let plan: { steps: BuildStep[]; env: Record<string, string>; limits: Limits | null } = {
      steps: request.steps,
      env: request.env,
      limits: null,
    };
    if (request.recipeFromRepository) {
      current = "recipe";
      const files = await readRemoteFiles(context.containers, {
        ...remote,
        commit: request.commit,
        paths: [...RECIPE_FILES],
      });
      const loaded = await loadRecipe(async (path) => files[path] ?? null);
      if (!loaded.ok)
        throw new SandboxError(
          "build_failed",
          `The recipe is not valid:\n${loaded.errors.map(formatRecipeError).join("\n")}`,
        );
      emit({
        type: "log",
        step: "recipe",
        stream: "system",
        text: loaded.file
          ? `using the recipe in ${loaded.file}`
          : "no .tandem/image.yaml: no steps to run",
      });
      plan = {
        steps: toBuildSteps(loaded.recipe),
        env: loaded.recipe.env,
        limits: toLimits(loaded.recipe),
      };
    }
    const steps = plan.steps.map((step) => {
      const parsed = BuildStepSchema.parse(step);
      return { ...parsed, network: parsed.network ?? request.network };
    });
    current = "clone";
    const bundle = await call(git, "POST", "/v1/git/clone-bundle", {
      json: { ...remote, commit: request.commit },
    });
    // One container runs every step: it has the internet when any step may use it.
    await startContainer(builder, {
      role: "build",
      internet: steps.some((step) => step.network),
      instance: "standard-3",
    });
    const head = { cloneUrl: request.cloneUrl, commit: request.commit, steps, env: plan.env };
    const stream = await call(builder, "POST", "/v1/build", { stream: framed(head, bundle.body) });
    const outcome: { done: Extract<ContainerBuildEvent, { type: "done" }> | null } = { done: null };
    await readLines(stream, ContainerBuildEventSchema, (event) => {
      if (event.type === "log") {
        current = event.step;
        emit(event);
      } else if (event.type === "done") outcome.done = event;
      else {
        reported = true;
        emit(event);
        throw new SandboxError("build_failed", event.message);
      }
    });
    const finished = outcome.done;
    if (!finished) throw new SandboxError("build_failed", "The build ended without a result.");
    current = null;
    const archive = await call(builder, "GET", "/v1/workspace");
    await context.index.store.put(KEYS.imageArchive(id), archive.body!, lengthOf(archive));
    const image: Image = {
      id,
      repo: request.repo,
      commit: request.commit,
      createdAt: context.now(),
      sizeBytes: finished.sizeBytes,
      steps: finished.steps,
      limits: plan.limits,
    };
    await context.index.putRecord(KEYS.imageRecord(id), image);
    emit({ type: "done", image });
    return image;
  } catch (error) {
    const failure =
      error instanceof SandboxError && error.code === "build_failed"
        ? error
        : new SandboxError("build_failed", error instanceof Error ? error.message : String(error));
    if (!reported) emit({ type: "failed", step: current, message: failure.message });
    throw failure;
  } finally {
    await stopContainer(builder).catch(() => {});
  }
}
