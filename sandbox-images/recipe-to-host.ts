// Turns a recipe into what the sandbox host takes: the build steps in order and the sandbox limits.
import type { BuildStep, Limits } from "../protocol/sandbox-host.ts";
import { PHASES } from "./recipe.ts";
import type { Recipe } from "./recipe.ts";

/** A build step, with whether it may use the network: setup and build may, warm-up runs as sessions do. */
export type RecipeBuildStep = BuildStep & { network: boolean };

/** Setup, then build, then warm-up steps, each named after its phase (`setup: npm ci`). */
export function toBuildSteps(recipe: Recipe): RecipeBuildStep[] {
  return PHASES.flatMap((phase) =>
    recipe[phase].map((step) => ({
      name: `${phase}: ${step.name}`,
      run: step.run,
      timeoutSec: step.timeout,
      network: phase !== "warmup" && recipe.network.build,
    })),
  );
}

/** The limits of session sandboxes started from the recipe's image. */
export function toLimits(recipe: Recipe): Limits {
  const { memory, cpus, pids } = recipe.limits;
  return { memoryMiB: memory, pids, cpuMillis: Math.round(cpus * 1_000) };
}
