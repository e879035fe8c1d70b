// glob: files whose paths match a pattern, searched below a folder.
import { z } from "zod";
import { globToRegExp, splitLiteralPrefix } from "./glob-pattern.ts";
import { bytesToText } from "./output.ts";
import { displayPath, MAX_ENTRIES, resolvePath, SKIPPED_FOLDERS } from "./paths.ts";
import { refusal, runArgv } from "./sandbox-calls.ts";
import { result, type Tool } from "./tool.ts";

const DESCRIPTION = `Finds files by path pattern and returns their paths, sorted.
- \`*\` matches within one folder name, \`**\` any number of folders, \`?\` one character, \`[abc]\` one of the characters, \`{ts,tsx}\` either alternative. "src/**/*.ts" finds every .ts file under src; "*.json" only those directly in the folder searched; "**/README*" at any depth.
- Skips ${SKIPPED_FOLDERS.join(" and ")} (name them in path to search inside). Returns files only, at most ${MAX_ENTRIES}.
- To see one folder's entries, use list_files; to search file contents, use grep.`;

const Input = z.object({
  pattern: z.string().min(1).describe('The pattern, relative to path, e.g. "src/**/*.ts".'),
  path: z
    .string()
    .optional()
    .describe("The folder to search in, relative to /workspace or absolute. Default: /workspace."),
});

const PRUNE = SKIPPED_FOLDERS.flatMap((name, i) =>
  i === 0 ? ["-name", name] : ["-o", "-name", name],
);
// Exit 3: the folder to search does not exist. Each file: its path below the folder, NUL.
const SCRIPT = `[ -d "$1" ] || exit 3; exec find "$1" -mindepth 1 \\( ${PRUNE.join(" ")} \\) -prune -o ! -type d -printf '%P\\0'`;

/** Finds files by path pattern. */
export const glob: Tool<z.infer<typeof Input>> = {
  name: "glob",
  description: DESCRIPTION,
  input: Input,
  access: "read",
  async run(input, { sandbox, signal }) {
    let pattern = input.pattern.trim();
    let base = resolvePath(input.path ?? ".");
    if (pattern.startsWith("/")) base = "/";
    pattern = pattern.replace(/^\/+/, "").replace(/^(?:\.\/)+/, "");
    // Searching from the pattern's fixed folders keeps the walk small.
    const { prefix, rest } = splitLiteralPrefix(pattern);
    const start = resolvePath(prefix ? `${base}/${prefix}` : base);
    let run;
    try {
      run = await runArgv(
        sandbox,
        {
          argv: ["bash", "-c", SCRIPT, "glob", start],
          timeoutMs: 60_000,
          maxOutputBytes: 16 * 1024 * 1024,
        },
        { signal },
      );
    } catch (error) {
      return refusal(error);
    }
    const none = `No files match ${input.pattern} in ${displayPath(base)}`;
    if (run.result.exitCode === 3)
      return result(`${none} (there is no folder ${displayPath(start)}).`);

    const matcher = globToRegExp(rest);
    const matches = bytesToText(run.stdout)
      .split("\0")
      .filter((path) => path !== "" && matcher.test(path))
      .map((path) => displayPath(start === "/" ? `/${path}` : `${start}/${path}`))
      .sort();
    const notes: string[] = [];
    if (run.result.truncated || run.result.timedOut)
      notes.push(
        `(${displayPath(start)} holds too many files to search completely; give a narrower path or pattern.)`,
      );
    if (matches.length > MAX_ENTRIES)
      notes.push(
        `(${MAX_ENTRIES} of ${matches.length} matches shown; narrow the pattern or path.)`,
      );
    if (matches.length === 0) return result([`${none}.`, ...notes].join("\n"));
    return result([...matches.slice(0, MAX_ENTRIES), ...notes].join("\n"));
  },
};
