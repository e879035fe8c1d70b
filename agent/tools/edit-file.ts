// edit_file: an exact text replacement in one file, refused unless the match is unambiguous.
import { z } from "zod";
import { cutLine, formatBytes, textToBytes } from "./output.ts";
import { displayPath, pathField, resolvePath } from "./paths.ts";
import { refusal } from "./sandbox-calls.ts";
import { MAX_FILE_BYTES, numberLines, readText, splitLines } from "./text-file.ts";
import { result, toolError, type Tool } from "./tool.ts";

/** Lines shown around an edit so the model can check it. */
const SNIPPET_CONTEXT_LINES = 3;
const MAX_SNIPPET_LINES = 40;

const DESCRIPTION = `Replaces exact text in a file: \`old_string\` becomes \`new_string\`.
- old_string must match the file exactly, whitespace and indentation included, and must occur exactly once; include enough surrounding lines to make it unique. Set replace_all to replace every occurrence instead (e.g. renaming).
- Copy old_string from read_file's output without the line-number prefix (the number and the tab before each line).
- To create a file or rewrite most of it, use write_file. To delete text, make new_string empty.
- The answer shows the edited lines; no need to read the file again to check.`;

const Input = z.object({
  path: pathField("The file to edit"),
  old_string: z.string().describe("The exact text to replace."),
  new_string: z.string().describe("The text to put in its place (must differ from old_string)."),
  replace_all: z
    .boolean()
    .optional()
    .describe("Replace every occurrence instead of requiring exactly one. Default false."),
});

/** Where `needle` occurs in `text`, as offsets. */
function occurrences(text: string, needle: string): number[] {
  const found: number[] = [];
  for (let at = text.indexOf(needle); at !== -1; at = text.indexOf(needle, at + needle.length))
    found.push(at);
  return found;
}

/** The 1-based line an offset is on. */
const lineAt = (text: string, offset: number) => text.slice(0, offset).split("\n").length;

/** Replaces exact text in a file. */
export const editFile: Tool<z.infer<typeof Input>> = {
  name: "edit_file",
  description: DESCRIPTION,
  input: Input,
  access: "write",
  async run(input, { sandbox }) {
    const path = resolvePath(input.path);
    const shown = displayPath(path);
    if (input.old_string === "")
      return toolError(
        "old_string is empty. To create a file or replace all of it, use write_file.",
      );
    if (input.old_string === input.new_string)
      return toolError("old_string and new_string are the same, so there is nothing to change.");

    const read = await readText(sandbox, path);
    if (!read.ok) return read.error;
    if (read.truncated)
      return toolError(
        `${shown} is ${formatBytes(read.size)}, more than edit_file handles (${formatBytes(MAX_FILE_BYTES)}). Edit it with run_command (e.g. sed or perl).`,
      );
    const text = read.text;
    let oldString = input.old_string;
    let newString = input.new_string;
    let found = occurrences(text, oldString);
    // Files with Windows line ends: the model writes "\n" for each of them.
    if (found.length === 0 && text.includes("\r\n") && oldString.includes("\n")) {
      oldString = oldString.replace(/\r?\n/g, "\r\n");
      newString = newString.replace(/\r?\n/g, "\r\n");
      found = occurrences(text, oldString);
    }

    if (found.length === 0) {
      const numbered = /^\s*\d+\t/m.test(input.old_string)
        ? " It seems to start with read_file's line numbers: leave out the number and tab before each line."
        : "";
      return toolError(
        `old_string was not found in ${shown}.${numbered} It must match the file exactly, including whitespace and indentation: read the file again with read_file and copy the text from there.`,
      );
    }
    if (found.length > 1 && !input.replace_all) {
      const lines = found.slice(0, 10).map((at) => lineAt(text, at));
      return toolError(
        `old_string occurs ${found.length} times in ${shown} (at lines ${lines.join(", ")}${found.length > 10 ? ", …" : ""}). Add surrounding lines to old_string to make it unique, or set replace_all to true to replace every occurrence.`,
      );
    }

    // Built by slicing: String.replace would read `$&` and the like in new_string as patterns.
    let edited = "";
    let from = 0;
    for (const at of found) {
      edited += text.slice(from, at) + newString;
      from = at + oldString.length;
    }
    edited += text.slice(from);
    try {
      await sandbox.writeFile(path, textToBytes(edited));
    } catch (error) {
      return refusal(error);
    }

    const count = found.length;
    const summary = `Replaced ${count === 1 ? "1 occurrence" : `${count} occurrences`} in ${shown}.`;
    return result(`${summary}\n\n${snippet(edited, found[0]!, newString)}`);
  },
};

/** The edited lines of the first replacement, with a few lines around them, numbered. */
function snippet(edited: string, offset: number, newString: string): string {
  const firstLine = lineAt(edited, offset);
  const lastLine = firstLine + splitLines(newString).length - 1;
  const from = Math.max(1, firstLine - SNIPPET_CONTEXT_LINES);
  const lines = splitLines(edited);
  const to = Math.min(lines.length, Math.max(firstLine, lastLine) + SNIPPET_CONTEXT_LINES);
  const chosen = lines.slice(from - 1, Math.min(to, from - 1 + MAX_SNIPPET_LINES));
  const more = to - from + 1 > chosen.length ? "\n(…)" : "";
  if (chosen.length === 0) return "(The file is now empty.)";
  return `${numberLines(
    chosen.map((line) => cutLine(line.replace(/\r$/, ""), 500)),
    from,
  )}${more}`;
}
