// write_file: a whole file's content, replacing what was there.
import { z } from "zod";
import { textToBytes } from "./output.ts";
import { displayPath, pathField, resolvePath } from "./paths.ts";
import { refusal } from "./sandbox-calls.ts";
import { splitLines } from "./text-file.ts";
import { result, type Tool } from "./tool.ts";

const DESCRIPTION = `Writes a file with the given content, replacing it if it exists and creating missing parent folders.
- Use it for new files, or to rewrite a file entirely. To change part of an existing file, use edit_file: it is safer and cheaper.
- An existing file keeps its permissions. Content is written as UTF-8 exactly as given (include the final newline).`;

const Input = z.object({
  path: pathField("The file to write"),
  content: z.string().describe("The complete new content of the file."),
});

/** Writes a whole file. */
export const writeFile: Tool<z.infer<typeof Input>> = {
  name: "write_file",
  description: DESCRIPTION,
  input: Input,
  access: "write",
  async run(input, { sandbox }) {
    const path = resolvePath(input.path);
    const data = textToBytes(input.content);
    try {
      await sandbox.writeFile(path, data);
    } catch (error) {
      return refusal(error);
    }
    const lines = splitLines(input.content).length;
    return result(
      `Wrote ${data.length} bytes (${lines} line${lines === 1 ? "" : "s"}) to ${displayPath(path)}.`,
    );
  },
};
