// The recipe schema: defaults, step forms, sizes, durations and the rules a recipe must follow.
import { describe, expect, it } from "vitest";
import { defaultRecipe, RecipeSchema } from "./recipe.ts";
import { reservedReason } from "./recipe-env.ts";
import { nameOf } from "./recipe-step.ts";

const parse = (input: unknown) => RecipeSchema.safeParse(input);
const messagesOf = (input: unknown) =>
  (parse(input).error?.issues ?? []).map((issue) => `${issue.path.join(".")}: ${issue.message}`);

describe("RecipeSchema", () => {
  it("fills every field but version with its default", () => {
    expect(defaultRecipe()).toEqual({
      version: 1,
      setup: [],
      build: [],
      warmup: [],
      env: {},
      limits: { memory: 2048, cpus: 2, pids: 1024 },
      network: { build: false },
    });
  });

  it("reads a string step as a step named after its command with the default timeout", () => {
    const recipe = RecipeSchema.parse({ version: 1, setup: ["npm ci"] });
    expect(recipe.setup).toEqual([{ name: "npm ci", run: "npm ci", timeout: 900 }]);
  });

  it("keeps an object step's name and timeout, and names it after its command when it has no name", () => {
    const recipe = RecipeSchema.parse({
      version: 1,
      build: [{ name: "compile", run: "make", timeout: 60 }, { run: "make docs" }],
    });
    expect(recipe.build).toEqual([
      { name: "compile", run: "make", timeout: 60 },
      { name: "make docs", run: "make docs", timeout: 900 },
    ]);
  });

  it("reads timeouts written as durations in seconds, minutes or hours", () => {
    const recipe = RecipeSchema.parse({
      version: 1,
      setup: [
        { run: "a", timeout: "90s" },
        { run: "b", timeout: "15m" },
        { run: "c", timeout: "1h" },
      ],
    });
    expect(recipe.setup.map((step) => step.timeout)).toEqual([90, 900, 3600]);
  });

  it("names a multi-line command after its first line, marked as continuing", () => {
    expect(nameOf("\n  set -e\n  npm ci\n")).toBe("set -e …");
    expect(nameOf("x".repeat(200))).toHaveLength(80);
  });

  it("reads human memory sizes and bare numbers as MiB", () => {
    const memoryOf = (memory: unknown) =>
      RecipeSchema.parse({ version: 1, limits: { memory } }).limits.memory;
    expect(memoryOf("512MiB")).toBe(512);
    expect(memoryOf("2GiB")).toBe(2048);
    expect(memoryOf("1.5GiB")).toBe(1536);
    expect(memoryOf("4Gi")).toBe(4096);
    expect(memoryOf(768)).toBe(768);
  });

  it("refuses decimal memory units, saying which binary unit to write", () => {
    expect(messagesOf({ version: 1, limits: { memory: "2GB" } })).toEqual([
      'limits.memory: must name a binary unit: write "2GiB" (got "2GB")',
    ]);
  });

  it("refuses limits outside what the sandbox host enforces", () => {
    expect(
      messagesOf({ version: 1, limits: { memory: "128GiB", cpus: 0.01, pids: 10.5 } }),
    ).toEqual([
      'limits.memory: must be between 32MiB and 64GiB (got "128GiB")',
      "limits.cpus: must be at least 0.1 (got 0.01)",
      "limits.pids: must be a whole number of processes (got 10.5)",
    ]);
  });

  it("reads its own output back unchanged", () => {
    const once = RecipeSchema.parse({
      version: 1,
      setup: ["npm ci", { run: "make", timeout: "20m" }],
      limits: { memory: "3GiB", cpus: 0.5 },
      env: { CI: "true" },
      baseBranch: "develop",
    });
    expect(RecipeSchema.parse(once)).toEqual(once);
  });

  it("refuses two steps of one phase with the same name", () => {
    expect(
      messagesOf({ version: 1, setup: ["npm ci", { name: "npm ci", run: "npm install" }] }),
    ).toEqual([
      'setup.1: repeats the step name "npm ci" of setup[0]; give one of them a distinct name',
    ]);
  });

  it("refuses more steps than the sandbox host runs in one build", () => {
    const steps = Array.from({ length: 20 }, (_, i) => `step ${i}`);
    expect(
      messagesOf({ version: 1, setup: steps, build: steps, warmup: steps.slice(0, 11) }),
    ).toEqual([
      ": the recipe has 51 steps in setup, build and warmup together; at most 50 are allowed",
    ]);
  });

  it("refuses environment names the platform sets or owns, and allows ordinary ones", () => {
    for (const name of ["PATH", "HOME", "LD_PRELOAD", "TANDEM_TOKEN", "GIT_DIR", "PERL5OPT"])
      expect(reservedReason(name), name).not.toBeNull();
    for (const name of ["NODE_ENV", "CI", "LANG", "LD_LIBRARY_PATH", "path", "GITHUB_ACTIONS"])
      expect(reservedReason(name), name).toBeNull();
  });

  it("accepts branch names git accepts and refuses ones it would not", () => {
    for (const branch of ["main", "release/2.x", "feature_1-b"])
      expect(parse({ version: 1, baseBranch: branch }).success, branch).toBe(true);
    for (const branch of ["", "a b", "-x", "a..b", "x.lock", "a/", "a~1", "@"])
      expect(parse({ version: 1, baseBranch: branch }).success, branch).toBe(false);
  });
});
