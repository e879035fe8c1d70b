// git_diff: the workspace's changes as a unified diff, or a summary of them.
import { z } from "zod";
import { runGit } from "./git.ts";
import { MAX_OUTPUT_BYTES } from "./output.ts";
import { resolvePath } from "./paths.ts";
import { toolError, type Tool } from "./tool.ts";

const DESCRIPTION = `Shows changes in the workspace as a unified diff.
- By default: unstaged changes of tracked files (working tree against the index). \`staged\`: staged changes instead. \`ref\`: the working tree (or, with staged, the index) against a commit or branch, e.g. "HEAD", "HEAD~3", "main".
- \`path\` limits the diff to a file or folder; \`stat\` gives only a summary of changed files and line counts.
- New untracked files do not appear in diffs; git_status lists them. Output over ${MAX_OUTPUT_BYTES / 1024} KiB is cut in the middle.`;

const Input = z.object({
  staged: z
    .boolean()
    .optional()
    .describe("Show staged changes (the index) instead of unstaged ones."),
  ref: z
    .string()
    .min(1)
    .optional()
    .describe('Compare against this commit or branch, e.g. "HEAD" or "main".'),
  path: z
    .string()
    .optional()
    .describe("Only this file or folder, relative to /workspace or absolute."),
  stat: z.boolean().optional().describe("Only a summary of changed files and line counts."),
});

/** Shows the workspace's changes as a diff. */
export const gitDiff: Tool<z.infer<typeof Input>> = {
  name: "git_diff",
  description: DESCRIPTION,
  input: Input,
  access: "read",
  async run(input, { sandbox, signal }) {
    if (input.ref?.startsWith("-"))
      return toolError(`ref must name a commit or branch, not an option: "${input.ref}".`);
    const args = [
      "diff",
      "--no-ext-diff",
      "--no-textconv",
      ...(input.staged ? ["--cached"] : []),
      ...(input.stat ? ["--stat"] : []),
      ...(input.ref ? [input.ref] : []),
      "--",
      ...(input.path ? [resolvePath(input.path)] : []),
    ];
    return runGit(sandbox, args, {
      signal,
      hint: "Pass path for one file's diff, or stat for a summary.",
      empty: "No differences. (Untracked files are not diffed; git_status lists them.)",
    });
  },
};
