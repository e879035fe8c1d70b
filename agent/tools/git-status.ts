// git_status: the branch and the changed and untracked files of the workspace.
import { z } from "zod";
import { runGit } from "./git.ts";
import type { Tool } from "./tool.ts";

const DESCRIPTION = `Shows the workspace's git status: the first line is "## <branch>" (with its upstream and how far ahead or behind), then one line per changed file: two status letters (staged, unstaged) and the path. "M" modified, "A" added, "D" deleted, "R" renamed, "??" untracked.
- Use git_diff to see the changes themselves.`;

const Input = z.object({});

/** Shows the workspace's git status. */
export const gitStatus: Tool<z.infer<typeof Input>> = {
  name: "git_status",
  description: DESCRIPTION,
  input: Input,
  access: "read",
  async run(_input, { sandbox, signal }) {
    const status = await runGit(sandbox, ["status", "--porcelain=v1", "--branch"], {
      signal,
      hint: "Use git_diff with stat for a summary.",
      empty: "(git printed nothing.)",
    });
    if (!status.isError && !status.output.includes("\n"))
      return {
        ...status,
        output: `${status.output}\n(No changes: the working tree matches HEAD.)`,
      };
    return status;
  },
};
