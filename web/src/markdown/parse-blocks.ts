// Splits markdown into blocks: paragraphs, headings, fenced code, lists, quotes, rules and tables.
import { parseInlines, type Inline } from "./parse-inlines.ts";

/** How a table column is aligned. */
export type Align = "left" | "center" | "right" | null;

/** One block of a markdown document. */
export type Block =
  | { type: "paragraph"; inlines: Inline[] }
  | { type: "heading"; level: number; inlines: Inline[] }
  | { type: "code"; lang: string; text: string }
  | { type: "list"; ordered: boolean; start: number; loose: boolean; items: Block[][] }
  | { type: "quote"; blocks: Block[] }
  | { type: "rule" }
  | { type: "table"; align: Align[]; head: Inline[][]; rows: Inline[][][] };

const FENCE = /^ {0,3}(`{3,}|~{3,})\s*([^\s`]*)/;
const HEADING = /^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$/;
const RULE = /^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$/;
const QUOTE = /^ {0,3}> ?/;
const LIST_ITEM = /^( {0,3})([-*+]|\d{1,9}[.)])([ \t]+|$)/;
const TABLE_DIVIDER = /^ {0,3}\|?[ \t]*:?-+:?[ \t]*(\|[ \t]*:?-+:?[ \t]*)*\|?[ \t]*$/;

const isBlank = (line: string) => line.trim() === "";

/** Whether a line begins a block that ends the paragraph before it. */
function interrupts(line: string): boolean {
  return (
    FENCE.test(line) ||
    HEADING.test(line) ||
    RULE.test(line) ||
    QUOTE.test(line) ||
    LIST_ITEM.test(line)
  );
}

/** Parses a whole document. Unclosed constructs (a fence still streaming) run to the end. */
export function parseMarkdown(source: string): Block[] {
  return parseLines(source.replace(/\r\n?/g, "\n").split("\n"));
}

function parseLines(lines: string[]): Block[] {
  const blocks: Block[] = [];
  let i = 0;
  while (i < lines.length) {
    const line = lines[i]!;
    if (isBlank(line)) {
      i++;
      continue;
    }
    const fence = FENCE.exec(line);
    if (fence) {
      const marker = fence[1]!;
      const closing = new RegExp(
        `^ {0,3}${marker[0] === "`" ? "`" : "~"}{${marker.length},}[ \\t]*$`,
      );
      const body: string[] = [];
      i++;
      while (i < lines.length && !closing.test(lines[i]!)) body.push(lines[i++]!);
      i++;
      blocks.push({ type: "code", lang: fence[2] ?? "", text: body.join("\n") });
      continue;
    }
    const heading = HEADING.exec(line);
    if (heading) {
      blocks.push({
        type: "heading",
        level: heading[1]!.length,
        inlines: parseInlines(heading[2] ?? ""),
      });
      i++;
      continue;
    }
    if (RULE.test(line)) {
      blocks.push({ type: "rule" });
      i++;
      continue;
    }
    if (QUOTE.test(line)) {
      const body: string[] = [];
      while (i < lines.length && QUOTE.test(lines[i]!)) body.push(lines[i++]!.replace(QUOTE, ""));
      blocks.push({ type: "quote", blocks: parseLines(body) });
      continue;
    }
    if (LIST_ITEM.test(line)) {
      i = parseList(lines, i, blocks);
      continue;
    }
    if (line.includes("|") && i + 1 < lines.length && TABLE_DIVIDER.test(lines[i + 1]!)) {
      i = parseTable(lines, i, blocks);
      continue;
    }
    const body = [line];
    i++;
    while (i < lines.length && !isBlank(lines[i]!) && !interrupts(lines[i]!))
      body.push(lines[i++]!);
    blocks.push({ type: "paragraph", inlines: parseInlines(body.map((l) => l.trim()).join("\n")) });
  }
  return blocks;
}

/** Reads a list starting at `start`; returns the index of the first line after it. */
function parseList(lines: string[], start: number, out: Block[]): number {
  const first = LIST_ITEM.exec(lines[start]!)!;
  const ordered = /\d/.test(first[2]!);
  const delimiter = first[2]!.slice(-1);
  const items: Block[][] = [];
  let loose = false;
  let i = start;
  while (i < lines.length) {
    const match = LIST_ITEM.exec(lines[i]!);
    if (!match || /\d/.test(match[2]!) !== ordered || match[2]!.slice(-1) !== delimiter) break;
    const gap = match[3]!.length > 4 || match[3]!.length === 0 ? 1 : match[3]!.length;
    const indent = match[1]!.length + match[2]!.length + gap;
    const body = [lines[i]!.slice(match[0].length)];
    i++;
    let sawBlank = false;
    while (i < lines.length) {
      const line = lines[i]!;
      if (isBlank(line)) {
        sawBlank = true;
        body.push("");
        i++;
        continue;
      }
      const indented = line.length - line.trimStart().length >= indent;
      if (indented) {
        if (sawBlank) loose = true;
        body.push(line.slice(indent));
        sawBlank = false;
        i++;
        continue;
      }
      // A line that is not indented continues the item's paragraph unless it starts a block.
      if (!sawBlank && !interrupts(line)) {
        body.push(line.trim());
        i++;
        continue;
      }
      break;
    }
    while (body.length > 0 && isBlank(body[body.length - 1]!)) body.pop();
    items.push(parseLines(body));
    if (sawBlank && i < lines.length && LIST_ITEM.test(lines[i]!)) loose = true;
  }
  const startNumber = ordered ? Number.parseInt(first[2]!, 10) : 1;
  out.push({ type: "list", ordered, start: startNumber, loose, items });
  return i;
}

function splitRow(line: string): string[] {
  const trimmed = line
    .trim()
    .replace(/^\|/, "")
    .replace(/(?<!\\)\|$/, "");
  return trimmed.split(/(?<!\\)\|/).map((cell) => cell.trim().replace(/\\\|/g, "|"));
}

/** Reads a table (header, divider, rows); returns the index of the first line after it. */
function parseTable(lines: string[], start: number, out: Block[]): number {
  const head = splitRow(lines[start]!);
  const align = splitRow(lines[start + 1]!).map((cell): Align => {
    const left = cell.startsWith(":");
    const right = cell.endsWith(":");
    return left && right ? "center" : right ? "right" : left ? "left" : null;
  });
  const rows: Inline[][][] = [];
  let i = start + 2;
  while (i < lines.length && !isBlank(lines[i]!) && lines[i]!.includes("|")) {
    const cells = splitRow(lines[i++]!);
    rows.push(head.map((_, column) => parseInlines(cells[column] ?? "")));
  }
  out.push({ type: "table", align, head: head.map((cell) => parseInlines(cell)), rows });
  return i;
}
