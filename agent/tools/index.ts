// The agent's tools: the registry the loop looks them up in, their definitions for the model,
// and validation of the input the model sends.
import type Anthropic from "@anthropic-ai/sdk";
import { z } from "zod";
import { fail, ok, type Result } from "../../protocol/errors.ts";
import { editFile } from "./edit-file.ts";
import { gitDiff } from "./git-diff.ts";
import { gitStatus } from "./git-status.ts";
import { glob } from "./glob.ts";
import { grep } from "./grep.ts";
import { listFiles } from "./list-files.ts";
import { readFile } from "./read-file.ts";
import { runCommand } from "./run-command.ts";
import type { AnyTool, Tool } from "./tool.ts";
import { writeFile } from "./write-file.ts";

/** Every tool, in the order the model is shown them. */
export const TOOLS: readonly AnyTool[] = [
  readFile,
  listFiles,
  glob,
  grep,
  editFile,
  writeFile,
  runCommand,
  gitStatus,
  gitDiff,
];

const byName = new Map(TOOLS.map((tool) => [tool.name, tool]));

/** The tool the model calls by this name, if there is one. */
export function toolByName(name: string): AnyTool | undefined {
  return byName.get(name);
}

/** The names of every tool, for telling the model what it can call. */
export function toolNames(): string[] {
  return TOOLS.map((tool) => tool.name);
}

/** The JSON schema of a tool's input, as the Messages API takes it. */
function inputSchema(tool: AnyTool): Anthropic.Tool.InputSchema {
  // "input": fields with defaults are optional for the model.
  const { $schema: _, ...schema } = z.toJSONSchema(tool.input, { io: "input" });
  if (schema.type !== "object") throw new Error(`The input of ${tool.name} is not an object.`);
  return { ...schema, type: "object" };
}

const definitions = new WeakMap<readonly AnyTool[], Anthropic.Tool[]>();

/** The tools as the model is given them: name, description and input schema (computed once per list). */
export function toolDefinitions(tools: readonly AnyTool[] = TOOLS): Anthropic.Tool[] {
  let known = definitions.get(tools);
  if (!known) {
    known = tools.map((tool) => ({
      name: tool.name,
      description: tool.description,
      input_schema: inputSchema(tool),
    }));
    definitions.set(tools, known);
  }
  return known;
}

/** Validates the input the model sent; on failure, a message that names each wrong field. */
export function parseToolInput<Input>(
  tool: Pick<Tool<Input>, "name" | "input">,
  raw: unknown,
): Result<Input> {
  const parsed = tool.input.safeParse(raw ?? {});
  if (parsed.success) return ok(parsed.data);
  const problems = parsed.error.issues.map((issue) => {
    const field = issue.path.length > 0 ? issue.path.join(".") : "input";
    return `- ${field}: ${issue.message}`;
  });
  return fail(
    "invalid_input",
    `The input for ${tool.name} is invalid:\n${problems.join("\n")}\nCall ${tool.name} again with the input corrected.`,
  );
}
