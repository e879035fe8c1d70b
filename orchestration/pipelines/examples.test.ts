// The example pipelines in examples/ stay valid.
import { readdir, readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { formatPipelineIssue, parsePipelineYaml } from "./parse.ts";

const EXAMPLES = new URL("./examples/", import.meta.url);

async function parseExample(name: string) {
  const result = parsePipelineYaml(await readFile(new URL(name, EXAMPLES), "utf8"), name);
  if (!result.ok)
    throw new Error(result.issues.map((issue) => formatPipelineIssue(issue, name)).join("\n"));
  return result.value;
}

describe("example pipelines", () => {
  it("holds the review loop and plan-build-verify", async () => {
    expect((await readdir(EXAMPLES)).sort()).toEqual([
      "plan-build-verify.yaml",
      "review-loop.yaml",
    ]);
  });

  it("reads the review loop as implement, review and fix, looping from fix back to review", async () => {
    const pipeline = await parseExample("review-loop.yaml");
    expect(pipeline.roles.map((role) => role.name)).toEqual(["implement", "review", "fix"]);
    expect(pipeline.roles[1]?.next.map((transition) => transition.goto)).toEqual(["end", "fix"]);
    expect(pipeline.roles[2]?.next).toEqual([{ when: [], goto: "review" }]);
  });

  it("reads plan-build-verify with a command in verify's output contract", async () => {
    const pipeline = await parseExample("plan-build-verify.yaml");
    expect(pipeline.maxRounds).toBe(3);
    expect(pipeline.roles.map((role) => role.name)).toEqual(["plan", "build", "verify"]);
    expect(pipeline.roles[2]?.output).toContainEqual({ command: ["python3", "-m", "unittest"] });
  });
});
