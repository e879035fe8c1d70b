// Reading a workspace file as text for the file tools: missing files, folders and binary files
// come back as errors that tell the model what to do instead.
import { displayPath } from "./paths.ts";
import { refusal } from "./sandbox-calls.ts";
import { toolError, type ToolResult, type ToolSandbox } from "./tool.ts";

/** The most of one file the file tools read. */
export const MAX_FILE_BYTES = 8 * 1024 * 1024;

/** A file read as text, or the tool error to answer with. */
export type TextRead =
  { ok: true; text: string; size: number; truncated: boolean } | { ok: false; error: ToolResult };

/** Reads a file at an absolute path as UTF-8 text (a byte-order mark is kept, so writes keep it). */
export async function readText(sandbox: ToolSandbox, path: string): Promise<TextRead> {
  const shown = displayPath(path);
  let file;
  try {
    file = await sandbox.readFile(path, { maxBytes: MAX_FILE_BYTES });
  } catch (error) {
    return { ok: false, error: refusal(error, "Use list_files to see what a folder holds.") };
  }
  if (!file.found)
    return {
      ok: false,
      error: toolError(
        `There is no file at ${shown}. Use list_files or glob to find the right path.`,
      ),
    };
  const notText = (what: string) =>
    toolError(
      `${shown} is ${what} (${file.size} bytes). Inspect it with run_command (e.g. \`file ${shown}\`, \`xxd ${shown} | head\`).`,
    );
  if (file.data.subarray(0, 8192).includes(0))
    return { ok: false, error: notText("a binary file") };
  try {
    // A read cut at the size limit may end inside a character: `stream` leaves it pending.
    const decoder = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });
    const text = decoder.decode(file.data, { stream: file.truncated });
    return { ok: true, text, size: file.size, truncated: file.truncated };
  } catch {
    return { ok: false, error: notText("not UTF-8 text (binary, or another encoding)") };
  }
}

/** Lines with their 1-based numbers, as `cat -n` prints them. */
export function numberLines(lines: readonly string[], firstLine: number): string {
  return lines.map((line, i) => `${String(firstLine + i).padStart(6)}\t${line}`).join("\n");
}

/** The lines of a text: a final line end does not start another line. */
export function splitLines(text: string): string[] {
  if (text === "") return [];
  const lines = text.split("\n");
  if (lines[lines.length - 1] === "") lines.pop();
  return lines;
}
