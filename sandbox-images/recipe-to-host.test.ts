// From recipe to sandbox host: build steps in phase order and limits in the host's units.
import { describe, expect, it } from "vitest";
import { BuildStepSchema, LimitsSchema } from "../protocol/sandbox-host.ts";
import { defaultRecipe, RecipeSchema } from "./recipe.ts";
import { toBuildSteps, toLimits } from "./recipe-to-host.ts";

const recipe = RecipeSchema.parse({
  version: 1,
  warmup: ["npm test"],
  build: [{ name: "compile", run: "npm run build", timeout: "5m" }],
  setup: ["npm ci"],
  limits: { memory: "1.5GiB", cpus: 0.5, pids: 256 },
  network: { build: true },
});

describe("toBuildSteps", () => {
  it("runs setup, then build, then warm-up steps, each named after its phase", () => {
    expect(toBuildSteps(recipe)).toEqual([
      { name: "setup: npm ci", run: "npm ci", timeoutSec: 900, network: true },
      { name: "build: compile", run: "npm run build", timeoutSec: 300, network: true },
      { name: "warmup: npm test", run: "npm test", timeoutSec: 900, network: false },
    ]);
  });

  it("gives no step the network when the recipe does not ask for it", () => {
    const offline = RecipeSchema.parse({ version: 1, setup: ["npm ci"], build: ["make"] });
    expect(toBuildSteps(offline).map((step) => step.network)).toEqual([false, false]);
  });

  it("produces steps the sandbox host accepts, even with the longest names", () => {
    const long = RecipeSchema.parse({ version: 1, warmup: ["x".repeat(500)] });
    for (const step of [...toBuildSteps(recipe), ...toBuildSteps(long)])
      expect(BuildStepSchema.parse(step)).toEqual({
        name: step.name,
        run: step.run,
        timeoutSec: step.timeoutSec,
        network: step.network,
      });
  });

  it("has nothing to run for the default recipe", () => {
    expect(toBuildSteps(defaultRecipe())).toEqual([]);
  });
});

describe("toLimits", () => {
  it("turns memory into MiB and CPUs into thousandths of a core", () => {
    expect(toLimits(recipe)).toEqual({ memoryMiB: 1536, pids: 256, cpuMillis: 500 });
  });

  it("gives the default recipe the sandbox host's default limits", () => {
    expect(toLimits(defaultRecipe())).toEqual(LimitsSchema.parse({}));
  });

  it("stays within what the sandbox host accepts at both ends of every range", () => {
    for (const limits of [
      { memory: 32, cpus: 0.1, pids: 16 },
      { memory: "64GiB", cpus: 64, pids: 65_536 },
    ]) {
      const bounds = toLimits(RecipeSchema.parse({ version: 1, limits }));
      expect(LimitsSchema.parse(bounds)).toEqual(bounds);
    }
  });
});
