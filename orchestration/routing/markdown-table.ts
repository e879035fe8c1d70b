// Reading and writing GitHub-flavoured markdown tables, with the file's own line numbers.

/** One table row: its 1-based line in the file and its cells, unescaped and trimmed. */
export interface TableRow {
  line: number;
  cells: string[];
}

/** A table found in a file: the header row and the rows below the delimiter row. */
export interface Table {
  header: TableRow;
  rows: TableRow[];
}

const DELIMITER_CELL = /^:?-+:?$/;

/** The lines of a `## <title>` section (up to the next heading of level 1 or 2), or null. */
export function sectionLines(
  text: string,
  title: string,
): { firstLine: number; lines: string[] } | null {
  const lines = text.split(/\r?\n/);
  const heading = (line: string) => /^##\s+(.*?)\s*#*\s*$/.exec(line)?.[1]?.toLowerCase();
  const start = lines.findIndex((line) => heading(line) === title.toLowerCase());
  if (start === -1) return null;
  const rest = lines.slice(start + 1);
  const end = rest.findIndex((l) => /^#{1,2}\s/.test(l));
  return { firstLine: start + 2, lines: end === -1 ? rest : rest.slice(0, end) };
}

/** The first table among `lines`, whose first element is line `firstLine` of the file. */
export function firstTable(lines: string[], firstLine = 1): Table | null {
  let fenced = false;
  for (let i = 0; i + 1 < lines.length; i++) {
    if (/^\s*(```|~~~)/.test(lines[i]!)) fenced = !fenced;
    if (fenced || !lines[i]!.includes("|")) continue;
    const header = splitCells(lines[i]!);
    const delimiter = splitCells(lines[i + 1]!);
    // GitHub reads a table only when the delimiter row has as many cells as the header.
    if (delimiter.length !== header.length || !delimiter.every((c) => DELIMITER_CELL.test(c)))
      continue;
    const rows: TableRow[] = [];
    for (let j = i + 2; j < lines.length && lines[j]!.includes("|"); j++)
      rows.push({ line: firstLine + j, cells: splitCells(lines[j]!) });
    return { header: { line: firstLine + i, cells: header }, rows };
  }
  return null;
}

/** The cells of one row: split on unescaped `|`, outer pipes dropped, `\|` and `<br>` read back. */
export function splitCells(line: string): string[] {
  let trimmed = line.trim();
  if (trimmed.startsWith("|")) trimmed = trimmed.slice(1);
  if (trimmed.endsWith("|") && !trimmed.endsWith("\\|")) trimmed = trimmed.slice(0, -1);
  if (trimmed.trim() === "") return [];
  const cells: string[] = [];
  let cell = "";
  for (let i = 0; i < trimmed.length; i++) {
    const ch = trimmed[i]!;
    if (ch === "\\" && trimmed[i + 1] === "|") {
      cell += "|";
      i++;
    } else if (ch === "|") {
      cells.push(cell);
      cell = "";
    } else cell += ch;
  }
  cells.push(cell);
  return cells.map((c) => c.replace(/<br\s*\/?>/gi, "\n").trim());
}

/** A cell as written in a table: `|` escaped, line breaks as `<br>`. */
export function escapeCell(value: string): string {
  return value.replace(/\|/g, "\\|").replace(/\r?\n/g, "<br>");
}

/** A table with `header` and `rows`, one line each, ending in a newline. */
export function renderTable(header: string[], rows: string[][]): string {
  const line = (cells: string[]) => `| ${cells.map(escapeCell).join(" | ")} |`;
  return [line(header), `| ${header.map(() => "---").join(" | ")} |`, ...rows.map(line)]
    .join("\n")
    .concat("\n");
}
