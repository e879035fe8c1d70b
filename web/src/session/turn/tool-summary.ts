// One line that says what a tool call was asked to do, and a glyph for the kind of tool.
import { snippet } from "../../ui/format.ts";

/** Input fields that say most about a call, most telling first. */
const TELLING_FIELDS = [
  "command",
  "cmd",
  "argv",
  "path",
  "file_path",
  "file",
  "paths",
  "pattern",
  "query",
  "url",
  "ref",
];

function asText(value: unknown): string | null {
  if (typeof value === "string") return value;
  if (Array.isArray(value) && value.every((part) => typeof part === "string"))
    return value.join(" ");
  return null;
}

/** The most telling part of a call's input on one line, e.g. the path or the command. */
export function summarizeInput(input: unknown, maxChars = 80): string {
  if (input === undefined || input === null) return "";
  const direct = asText(input);
  if (direct !== null) return snippet(direct, maxChars);
  if (typeof input !== "object") return snippet(String(input), maxChars);
  const fields = input as Record<string, unknown>;
  for (const name of TELLING_FIELDS) {
    const text = asText(fields[name]);
    if (text) return snippet(text, maxChars);
  }
  for (const value of Object.values(fields)) {
    const text = asText(value);
    if (text) return snippet(text, maxChars);
  }
  return snippet(JSON.stringify(input), maxChars);
}

/** A decorative glyph for a tool, guessed from its name. */
export function toolGlyph(name: string): string {
  if (/diff|git|commit/i.test(name)) return "±";
  if (/edit|write|patch|create|apply/i.test(name)) return "✎";
  if (/grep|search|find|glob/i.test(name)) return "⌕";
  if (/read|list|view|cat|open/i.test(name)) return "≡";
  if (/run|bash|shell|exec|command|test/i.test(name)) return "$";
  return "•";
}

/** The arguments as people read them: one field a line, multi-line text shown as it is. */
export function formatInput(input: unknown): string {
  if (input === undefined) return "(not recorded)";
  if (typeof input === "string") return input;
  if (input === null || typeof input !== "object" || Array.isArray(input)) {
    return JSON.stringify(input, null, 2);
  }
  return Object.entries(input)
    .map(([name, value]) =>
      typeof value === "string" && value.includes("\n")
        ? `${name}:\n${value.replace(/^/gm, "  ")}`
        : `${name}: ${compactJson(value)}`,
    )
    .join("\n");
}

/** JSON on one line when it is short, else indented. */
function compactJson(value: unknown): string {
  const line = JSON.stringify(value);
  return line.length <= 80 ? line : JSON.stringify(value, null, 2);
}
