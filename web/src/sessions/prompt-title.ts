// A new session's title, taken from the first line of its first prompt.

/** The longest title the API accepts. */
export const MAX_TITLE_CHARS = 200;

/** The prompt's first non-blank line, without Markdown heading marks, on one line and cut to fit. */
export function titleFromPrompt(prompt: string): string {
  const line = prompt.split("\n").find((text) => text.trim()) ?? "";
  const plain = line
    .replace(/^\s*#{1,6}\s+/, "")
    .replace(/\s+/g, " ")
    .trim();
  return plain.length > MAX_TITLE_CHARS
    ? `${plain.slice(0, MAX_TITLE_CHARS - 1).trimEnd()}…`
    : plain;
}
