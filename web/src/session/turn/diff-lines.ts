// Recognises a unified diff in tool output and classifies its lines for colouring.

/** What a diff line is. */
export type DiffLineKind = "add" | "del" | "hunk" | "meta" | "context";

/** One classified line. */
export interface DiffLine {
  kind: DiffLineKind;
  text: string;
}

const HUNK = /^@@ -\d+(?:,\d+)? \+\d+(?:,\d+)? @@/m;
const META =
  /^(?:diff --git |index |--- |\+\+\+ |new file mode|deleted file mode|similarity index|rename (?:from|to) |Binary files )/;

/** Whether the text holds at least one unified diff hunk. */
export function looksLikeDiff(text: string): boolean {
  return HUNK.test(text);
}

/** Every line of a diff with its kind; file headers count as meta, not as removed or added lines. */
export function diffLines(text: string): DiffLine[] {
  return text.split("\n").map((line) => {
    if (META.test(line)) return { kind: "meta", text: line };
    if (line.startsWith("@@")) return { kind: "hunk", text: line };
    if (line.startsWith("+")) return { kind: "add", text: line };
    if (line.startsWith("-")) return { kind: "del", text: line };
    return { kind: "context", text: line };
  });
}
