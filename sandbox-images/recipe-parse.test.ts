// Reading recipes from YAML and JSON: the recipe, or located sentences saying what is wrong.
import { describe, expect, it } from "vitest";
import { formatRecipeError, parseRecipe, parseRecipeJson } from "./recipe-parse.ts";
import type { RecipeResult } from "./recipe-parse.ts";

const FILE = { path: ".tandem/image.yaml" };

/** The errors of a recipe that must be invalid, as the lines a person reads. */
function errorsOf(result: RecipeResult): string[] {
  if (result.ok) throw new Error("expected the recipe to be invalid");
  return result.errors.map(formatRecipeError);
}

const yamlErrors = (text: string) => errorsOf(parseRecipe(text, FILE));

describe("parseRecipe", () => {
  it("reads a full valid recipe", () => {
    const result = parseRecipe(
      [
        "version: 1",
        "baseBranch: trunk",
        "setup:",
        "  - npm ci",
        "build:",
        "  - name: compile",
        "    run: npm run build",
        "    timeout: 600",
        "warmup:",
        "  - run: npx vitest run || true",
        "    timeout: 30m",
        "env:",
        "  NODE_ENV: test",
        "limits:",
        "  memory: 4GiB",
        "  cpus: 1.5",
        "  pids: 512",
        "network:",
        "  build: true",
      ].join("\n"),
      FILE,
    );
    expect(result).toEqual({
      ok: true,
      recipe: {
        version: 1,
        baseBranch: "trunk",
        setup: [{ name: "npm ci", run: "npm ci", timeout: 900 }],
        build: [{ name: "compile", run: "npm run build", timeout: 600 }],
        warmup: [{ name: "npx vitest run || true", run: "npx vitest run || true", timeout: 1800 }],
        env: { NODE_ENV: "test" },
        limits: { memory: 4096, cpus: 1.5, pids: 512 },
        network: { build: true },
      },
    });
  });

  it("reads a recipe holding only its version as the default recipe", () => {
    const result = parseRecipe("version: 1\n", FILE);
    expect(result.ok && result.recipe.limits).toEqual({ memory: 2048, cpus: 2, pids: 1024 });
  });

  it("reports a step's timeout over the limit with its path, line and the value given", () => {
    const text =
      "version: 1\nsetup:\n  - npm ci\n  - make\n  - run: make test\n    timeout: 7200\n";
    expect(yamlErrors(text)).toEqual([
      ".tandem/image.yaml:6: setup[2].timeout: must be at most 3600 seconds, one hour (got 7200)",
    ]);
  });

  it("returns each error's path, line and message as separate fields", () => {
    const result = parseRecipe("version: 1\nlimits:\n  cpus: 100\n", FILE);
    expect(result).toEqual({
      ok: false,
      errors: [
        {
          file: ".tandem/image.yaml",
          path: "limits.cpus",
          line: 3,
          message: "must be at most 64 (got 100)",
        },
      ],
    });
  });

  it("reports every problem at once, in the order of the file's lines", () => {
    const text = [
      "version: 1",
      "setup:",
      "  - run: make",
      "    name: ''",
      "  - name: no command",
      "  - 5",
      "  - ''",
      "env:",
      "  CI: true",
      "  PATH: /opt/bin",
      "  1X: y",
      "limits:",
      "  memory: lots",
      "network:",
      "  build: yes",
    ].join("\n");
    expect(yamlErrors(text)).toEqual([
      ".tandem/image.yaml:4: setup[0].name: must not be empty",
      ".tandem/image.yaml:5: setup[1].run: is required: the shell command to run",
      ".tandem/image.yaml:6: setup[2]: must be a shell command, or a mapping with run (and optionally name and timeout) (got 5)",
      ".tandem/image.yaml:7: setup[3]: must not be empty",
      '.tandem/image.yaml:9: env.CI: must be a string; in YAML, quote numbers and booleans so they stay as written ("1.10", "true") (got true)',
      ".tandem/image.yaml:10: env.PATH: is reserved: the platform sets PATH to the system's tool directories; call project tools through npx, a script or their path",
      '.tandem/image.yaml:11: env["1X"]: is not a valid variable name: use letters, digits and underscores, not starting with a digit',
      '.tandem/image.yaml:13: limits.memory: must be a size like "512MiB" or "2GiB", or a number of MiB (got "lots")',
      '.tandem/image.yaml:15: network.build: must be true or false (got "yes")',
    ]);
  });

  it("reports each unknown key at its own line, naming the fields that exist", () => {
    const text =
      "version: 1\nsteup:\n  - npm ci\nlimits:\n  memroy: 2GiB\n  cpu: 2\nsetup:\n  - run: x\n    tiemout: 60\n";
    expect(yamlErrors(text)).toEqual([
      ".tandem/image.yaml:2: steup: is not a recipe field; the fields are version, setup, build, warmup, env, limits, network and baseBranch",
      ".tandem/image.yaml:5: limits.memroy: is not a limits field; the fields are memory, cpus and pids",
      ".tandem/image.yaml:6: limits.cpu: is not a limits field; the fields are memory, cpus and pids",
      ".tandem/image.yaml:9: setup[0].tiemout: is not a step field; the fields are name, run and timeout",
    ]);
  });

  it("reports a YAML syntax error with its line", () => {
    expect(yamlErrors("version: 1\nsetup: [npm ci\nbuild: []\n")).toEqual([
      expect.stringMatching(/^\.tandem\/image\.yaml:\d: YAML syntax error: /),
    ]);
    expect(yamlErrors("version: 1\nenv:\n  A: x\n  A: y\n")).toEqual([
      ".tandem/image.yaml:4: YAML syntax error: a key appears twice in the same mapping",
    ]);
    expect(yamlErrors("version: 1\n\tsetup: []\n")).toEqual([
      ".tandem/image.yaml:2: YAML syntax error: tabs cannot indent YAML; use spaces",
    ]);
  });

  it("says what an empty file is missing", () => {
    for (const text of ["", "\n", "# a recipe, some day\n"])
      expect(yamlErrors(text)).toEqual([
        '.tandem/image.yaml: the recipe is empty; it needs at least "version: 1"',
      ]);
  });

  it("says a recipe without a version needs one", () => {
    expect(yamlErrors("setup:\n  - npm ci\n")).toEqual([
      '.tandem/image.yaml:1: version: is required: write "version: 1" at the top of the file',
    ]);
  });

  it("reports only the version of a recipe written for another format version", () => {
    expect(yamlErrors("version: 2\nphases: {}\n")).toEqual([
      ".tandem/image.yaml:1: version: must be 1, the only recipe format version (got 2)",
    ]);
  });

  it("refuses a document that is not a mapping", () => {
    expect(yamlErrors("- npm ci\n")).toEqual([
      '.tandem/image.yaml:1: the recipe must be a mapping of fields, starting with "version: 1" (got a list)',
    ]);
  });

  it("refuses a YAML bomb instead of expanding it", () => {
    const lines = ["a: &a [x, x, x, x, x, x, x, x, x, x]"];
    for (let i = 0; i < 8; i++)
      lines.push(
        `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [${Array(10)
          .fill(`*${String.fromCharCode(97 + i)}`)
          .join(", ")}]`,
      );
    expect(parseRecipe(lines.join("\n"), FILE).ok).toBe(false);
  });

  it("refuses a file far larger than any recipe", () => {
    expect(yamlErrors(`version: 1\n${"# padding\n".repeat(10_000)}`)).toEqual([
      ".tandem/image.yaml: the recipe file is 100011 characters; at most 65536 are read",
    ]);
  });

  it("never throws, whatever the text", () => {
    const texts = [
      "{",
      "]",
      "!!binary x",
      "*nope",
      "? [a]\n: b",
      "version: !!float 1",
      "\u0000",
      "a:\n- b\n c",
    ];
    for (const text of texts) expect(() => parseRecipe(text, FILE)).not.toThrow();
  });
});

describe("parseRecipeJson", () => {
  it("reads a recipe sent through the API the same way as one read from YAML", () => {
    const body = { version: 1, setup: ["npm ci"], limits: { memory: "1GiB" } };
    const fromJson = parseRecipeJson(body);
    const fromYaml = parseRecipe(JSON.stringify(body), FILE);
    expect(fromJson).toEqual(fromYaml);
    expect(fromJson.ok && fromJson.recipe.limits.memory).toBe(1024);
  });

  it("reports errors with the same shape, without file or line", () => {
    expect(
      parseRecipeJson({ version: 1, warmup: [{ run: "x", timeout: 0 }], extra: true }),
    ).toEqual({
      ok: false,
      errors: [
        {
          file: null,
          path: "warmup[0].timeout",
          line: null,
          message: "must be at least 1 second (got 0)",
        },
        {
          file: null,
          path: "extra",
          line: null,
          message:
            "is not a recipe field; the fields are version, setup, build, warmup, env, limits, network and baseBranch",
        },
      ],
    });
    expect(errorsOf(parseRecipeJson({ version: 1, warmup: [{ run: "x", timeout: 0 }] }))).toEqual([
      "warmup[0].timeout: must be at least 1 second (got 0)",
    ]);
  });

  it("says an empty body is not a recipe", () => {
    expect(errorsOf(parseRecipeJson(null))).toEqual([
      'the recipe is empty; it needs at least "version: 1"',
    ]);
  });
});

describe("error reporting", () => {
  it("lists at most 50 problems and then says how many more there are", () => {
    const keys = Array.from({ length: 60 }, (_, i) => `unknown${i}: 1`);
    const errors = yamlErrors(["version: 1", ...keys].join("\n"));
    expect(errors).toHaveLength(51);
    expect(errors.at(-1)).toBe(".tandem/image.yaml: and 10 more problems");
  });
});
