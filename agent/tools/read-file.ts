// read_file: a file's lines, numbered, a window at a time.
import { z } from "zod";
import { cutLine, formatBytes, textToBytes } from "./output.ts";
import { displayPath, pathField, resolvePath } from "./paths.ts";
import { MAX_FILE_BYTES, numberLines, readText, splitLines } from "./text-file.ts";
import { result, toolError, type Tool } from "./tool.ts";

/** The most lines one call returns. */
export const MAX_READ_LINES = 2000;
/** The most output one call returns. */
export const MAX_READ_BYTES = 128 * 1024;
/** Longer lines are cut. */
const MAX_LINE_CHARS = 2000;

const DESCRIPTION = `Reads a text file and returns its lines numbered like \`cat -n\` (number, tab, line).
- Returns up to ${MAX_READ_LINES} lines (and at most ${formatBytes(MAX_READ_BYTES)}) from \`offset\` (1-based, default 1); \`limit\` asks for fewer. When more remains, the output ends with the offset to continue from.
- Lines longer than ${MAX_LINE_CHARS} characters are cut. The line numbers are not part of the file: leave them out of edit_file's old_string.
- Read a file before editing it. To find where something is, use grep first and then read around the line it reports.
- For a folder use list_files; for binary files use run_command.`;

const Input = z.object({
  path: pathField("The file to read"),
  offset: z
    .number()
    .int()
    .min(1)
    .max(100_000_000)
    .optional()
    .describe("The first line to return, from 1. Default 1."),
  limit: z
    .number()
    .int()
    .min(1)
    .max(MAX_READ_LINES)
    .optional()
    .describe(`How many lines to return. Default and maximum ${MAX_READ_LINES}.`),
});

/** Reads a window of a text file as numbered lines. */
export const readFile: Tool<z.infer<typeof Input>> = {
  name: "read_file",
  description: DESCRIPTION,
  input: Input,
  access: "read",
  async run(input, { sandbox }) {
    const path = resolvePath(input.path);
    const shown = displayPath(path);
    const read = await readText(sandbox, path);
    if (!read.ok) return read.error;
    const lines = splitLines(read.text);
    // A read cut at the size limit may end inside a line: that line is not shown.
    if (read.truncated && !read.text.endsWith("\n")) lines.pop();
    const total = lines.length;
    const past = `the first ${formatBytes(MAX_FILE_BYTES)} of the file, which is as far as read_file reads, end at line ${total}`;
    if (total === 0 && !read.truncated) return result(`(${shown} is empty.)`);

    const start = input.offset ?? 1;
    if (start > total)
      return toolError(
        read.truncated
          ? `Line ${start} is out of reach: ${past}. Use grep, or run_command with \`sed -n '${start},${start + 99}p' ${shown}\`.`
          : `${shown} has ${total} line${total === 1 ? "" : "s"}; offset ${start} is past its end.`,
      );

    const wanted = lines.slice(start - 1, start - 1 + (input.limit ?? MAX_READ_LINES));
    const shownLines: string[] = [];
    let bytes = 0;
    for (const raw of wanted) {
      const line = cutLine(raw.endsWith("\r") ? raw.slice(0, -1) : raw, MAX_LINE_CHARS);
      bytes += textToBytes(line).length + 8;
      if (bytes > MAX_READ_BYTES && shownLines.length > 0) break;
      shownLines.push(line);
    }
    const end = start + shownLines.length - 1;
    const notes: string[] = [];
    if (end < total) {
      const why =
        shownLines.length < wanted.length ? ` (${formatBytes(MAX_READ_BYTES)} output limit)` : "";
      notes.push(
        `(Lines ${start}–${end} of ${total}${read.truncated ? "+" : ""} shown${why}. Call read_file with offset=${end + 1} to read on.)`,
      );
    } else if (read.truncated) {
      notes.push(
        `(The file is ${formatBytes(read.size)}; ${past}. Use grep, or run_command with sed, to see beyond.)`,
      );
    }
    return result([numberLines(shownLines, start), ...notes].join("\n\n"));
  },
};
