// grep: lines matching a regular expression, across the workspace or below a path.
import { z } from "zod";
import { expandBraces } from "./glob-pattern.ts";
import { bytesToText, capBytes, cutLongLines, MAX_OUTPUT_BYTES, textToBytes } from "./output.ts";
import { displayPath, resolvePath, SKIPPED_FOLDERS } from "./paths.ts";
import { refusal, runArgv } from "./sandbox-calls.ts";
import { WORKSPACE, result, toolError, type Tool } from "./tool.ts";

/** Longer matching lines (minified code) are cut. */
const MAX_LINE_CHARS = 500;

const DESCRIPTION = `Searches file contents for a regular expression and returns matching lines as "path:line:text".
- Perl-compatible syntax (\\d, \\w, \\b, (?:…), lookarounds). Escape ( ) [ ] { } . * + ? | \\ to match them literally.
- Searches /workspace, or \`path\` (a folder or one file), skipping ${SKIPPED_FOLDERS.join(" and ")} and binary files. \`include\` keeps only files whose name matches a glob, e.g. "*.ts" or "*.{ts,tsx}".
- Output over ${MAX_OUTPUT_BYTES / 1024} KiB is cut in the middle, and lines over ${MAX_LINE_CHARS} characters are cut: narrow the search with path, include or a more specific pattern, or set files_only to list just the files.
- "No matches" is an answer, not a failure. To find files by name, use glob.`;

const Input = z.object({
  pattern: z.string().min(1).describe("The regular expression to search for."),
  path: z
    .string()
    .optional()
    .describe(
      "A folder or file to search, relative to /workspace or absolute. Default: /workspace.",
    ),
  include: z
    .string()
    .optional()
    .describe('Only search files whose name matches this glob, e.g. "*.ts" or "*.{ts,tsx}".'),
  ignore_case: z.boolean().optional().describe("Match without regard to case. Default false."),
  context: z
    .number()
    .int()
    .min(0)
    .max(10)
    .optional()
    .describe("Lines to show before and after each match. Default 0."),
  files_only: z
    .boolean()
    .optional()
    .describe("List only the paths of files that match, not the lines. Default false."),
});

/** Searches file contents. */
export const grep: Tool<z.infer<typeof Input>> = {
  name: "grep",
  description: DESCRIPTION,
  input: Input,
  access: "read",
  async run(input, { sandbox, signal }) {
    if (input.include?.includes("/"))
      return toolError(
        `include matches file names only (e.g. "*.ts"); put the folder in path instead of "${input.include}".`,
      );
    const path = resolvePath(input.path ?? ".");
    const argv = [
      "grep",
      "--recursive",
      "--with-filename",
      "--line-number",
      "--binary-files=without-match",
      "--perl-regexp",
      "--color=never",
      ...SKIPPED_FOLDERS.map((name) => `--exclude-dir=${name}`),
      ...(input.include ? expandBraces(input.include).map((name) => `--include=${name}`) : []),
      ...(input.ignore_case ? ["--ignore-case"] : []),
      ...(input.context ? [`--context=${input.context}`] : []),
      ...(input.files_only ? ["--files-with-matches"] : []),
      "--regexp",
      input.pattern,
      // Without a path grep searches the working folder and names files without a "./" prefix.
      ...(path === WORKSPACE ? [] : ["--", displayPath(path)]),
    ];
    let run;
    try {
      run = await runArgv(sandbox, { argv, timeoutMs: 120_000 }, { signal });
    } catch (error) {
      return refusal(error);
    }
    const { exitCode, timedOut, stdoutBytes } = run.result;
    const errors = bytesToText(run.stderr).trim();
    const where = displayPath(path);
    if (timedOut && run.stdout.length === 0)
      return toolError(`The search of ${where} took too long; narrow it with path or include.`);
    if (exitCode === 1) return result(`No matches for ${input.pattern} in ${where}.`);
    if (exitCode !== 0 && run.stdout.length === 0)
      return toolError(
        `grep failed: ${errors || `exit code ${exitCode}`}. Check the path exists and the pattern is valid Perl-compatible syntax.`,
      );

    const lines = textToBytes(cutLongLines(bytesToText(run.stdout), MAX_LINE_CHARS));
    const notes: string[] = [];
    if (timedOut) notes.push("(The search took too long and was stopped; results are incomplete.)");
    else if (errors) notes.push(`(Some files could not be searched: ${errors.split("\n")[0]})`);
    const output = capBytes(lines, MAX_OUTPUT_BYTES, {
      totalBytes: lines.length + Math.max(0, stdoutBytes - run.stdout.length),
      hint: "Narrow the search to see the rest.",
    });
    return result([output.trimEnd(), ...notes].join("\n"));
  },
};
