// list_files: the entries of one folder, folders marked with a trailing slash.
import { z } from "zod";
import { bytesToText } from "./output.ts";
import { displayPath, MAX_ENTRIES, resolvePath } from "./paths.ts";
import { refusal, runArgv } from "./sandbox-calls.ts";
import { result, toolError, type Tool } from "./tool.ts";

const DESCRIPTION = `Lists the entries of one folder (not recursive): folders first, marked with a trailing "/", then files. Hidden entries are included.
- Returns at most ${MAX_ENTRIES} entries.
- To find files by name across folders, use glob (e.g. "src/**/*.test.ts"); to find text in files, use grep.`;

const Input = z.object({
  path: z
    .string()
    .optional()
    .describe("The folder to list, relative to /workspace or absolute. Default: /workspace."),
});

// Exit 3: nothing there; exit 4: not a folder. Each entry: type (after symlinks), tab, name, NUL.
const SCRIPT = `[ -e "$1" ] || exit 3; [ -d "$1" ] || exit 4; exec find "$1" -mindepth 1 -maxdepth 1 -printf '%Y\\t%P\\0'`;

/** Lists one folder. */
export const listFiles: Tool<z.infer<typeof Input>> = {
  name: "list_files",
  description: DESCRIPTION,
  input: Input,
  access: "read",
  async run(input, { sandbox, signal }) {
    const path = resolvePath(input.path ?? ".");
    const shown = displayPath(path);
    let run;
    try {
      run = await runArgv(
        sandbox,
        { argv: ["bash", "-c", SCRIPT, "list_files", path], timeoutMs: 60_000 },
        { signal },
      );
    } catch (error) {
      return refusal(error);
    }
    const { exitCode } = run.result;
    if (exitCode === 3)
      return toolError(
        `There is no folder ${shown}. List its parent folder, or use glob to find it.`,
      );
    if (exitCode === 4)
      return toolError(`${shown} is a file, not a folder. Use read_file to read it.`);

    const entries = bytesToText(run.stdout)
      .split("\0")
      .filter((entry) => entry !== "")
      .map((entry) => {
        const tab = entry.indexOf("\t");
        const type = entry.slice(0, tab);
        const name = entry.slice(tab + 1);
        return {
          folder: type === "d",
          name: type === "d" ? `${name}/` : type === "N" ? `${name} (broken link)` : name,
        };
      })
      // Folders first, then by name (names in one folder are unique).
      .sort((a, b) => Number(b.folder) - Number(a.folder) || (a.name < b.name ? -1 : 1));
    if (exitCode !== 0 && entries.length === 0)
      return toolError(`Could not list ${shown}: ${bytesToText(run.stderr).trim()}`);
    if (entries.length === 0) return result(`(${shown} is empty.)`);
    const lines = entries.slice(0, MAX_ENTRIES).map((entry) => entry.name);
    if (entries.length > MAX_ENTRIES)
      lines.push(`(… and ${entries.length - MAX_ENTRIES} more entries. Use glob to narrow down.)`);
    return result(lines.join("\n"));
  },
};
