// A routing guide as a markdown table: read from `.tandem/routing.md` or AGENTS.md, and written back.
import { MAX_SPACES, type Space } from "../../protocol/routing.ts";
import { firstTable, renderTable, sectionLines, type Table } from "./markdown-table.ts";
import { spaceFromRow, type Columns } from "./guide-row.ts";

/** One problem in a routing table, at a 1-based line of its file. */
export interface GuideIssue {
  line: number;
  message: string;
}

/** The spaces a routing table lists, or every problem found in it. */
export type GuideParse = { ok: true; spaces: Space[] } | { ok: false; issues: GuideIssue[] };

/** The file that holds an organisation's guide, and the file it may otherwise be a section of. */
export const ROUTING_FILE = ".tandem/routing.md";
export const AGENTS_FILE = "AGENTS.md";

const COLUMNS = ["space", "repository", "environment", "purpose", "covers"] as const;
const REQUIRED = ["space", "repository", "purpose"] as const;
const HEADER = ["Space", "Repository", "Environment", "Purpose", "Covers"];
const EXPECTED = `write a table with the columns ${HEADER.join(" | ")} (Environment and Covers may be left out)`;

/** Reads the first routing table in a markdown text; never throws. */
export function parseGuideMarkdown(text: string, firstLine = 1): GuideParse {
  return fromTable(firstTable(text.split(/\r?\n/), firstLine), firstLine);
}

/** Reads the table in the `## Routing` section of AGENTS.md, or null when there is no such section. */
export function parseAgentsRouting(text: string): GuideParse | null {
  const section = sectionLines(text, "Routing");
  if (!section) return null;
  return fromTable(firstTable(section.lines, section.firstLine), section.firstLine - 1);
}

/** The guide a repository's files carry: `.tandem/routing.md` first, else AGENTS.md's `## Routing`. */
export function guideFromRepositoryFiles(
  files: readonly { path: string; text: string }[],
): (GuideParse & { path: string }) | null {
  const named = (path: string) => files.find((f) => f.path.replace(/^\.?\//, "") === path);
  const routing = named(ROUTING_FILE);
  if (routing) return { ...parseGuideMarkdown(routing.text), path: ROUTING_FILE };
  const agents = named(AGENTS_FILE);
  const parsed = agents ? parseAgentsRouting(agents.text) : null;
  return parsed ? { ...parsed, path: AGENTS_FILE } : null;
}

/** A routing table listing `spaces`; `parseGuideMarkdown` reads it back to the same spaces. */
export function guideToMarkdown(spaces: readonly Space[]): string {
  return renderTable(
    HEADER,
    spaces.map((s) => [s.name, s.repo, s.environment ?? "", s.purpose, s.coverage.join(", ")]),
  );
}

function fromTable(table: Table | null, where: number): GuideParse {
  if (!table)
    return {
      ok: false,
      issues: [{ line: Math.max(where, 1), message: `no routing table found: ${EXPECTED}` }],
    };
  const columns = columnsOf(table);
  if (!columns.ok) return columns;
  const issues: GuideIssue[] = [];
  const spaces: Space[] = [];
  const firstSeen = new Map<string, number>();
  table.rows.forEach((row, i) => {
    const read = spaceFromRow(row, i + 1, columns.columns);
    if (!read.ok) return issues.push(...read.issues);
    const earlier = firstSeen.get(read.space.name);
    if (earlier !== undefined)
      return issues.push({
        line: row.line,
        message: `row ${i + 1}: the space \`${read.space.name}\` is already listed on line ${earlier}`,
      });
    firstSeen.set(read.space.name, row.line);
    spaces.push(read.space);
  });
  if (table.rows.length === 0)
    issues.push({
      line: table.header.line,
      message: "the routing table has no rows; list one space per row",
    });
  if (table.rows.length > MAX_SPACES)
    issues.push({
      line: table.rows[MAX_SPACES]!.line,
      message: `the routing table lists ${table.rows.length} spaces; at most ${MAX_SPACES} are allowed`,
    });
  return issues.length === 0 ? { ok: true, spaces } : { ok: false, issues };
}

function columnsOf(
  table: Table,
): { ok: true; columns: Columns } | { ok: false; issues: GuideIssue[] } {
  const line = table.header.line;
  const issues: GuideIssue[] = [];
  const columns: Columns = {};
  table.header.cells.forEach((cell, index) => {
    const name = cell.replace(/[`*_]/g, "").trim().toLowerCase();
    const known = COLUMNS.find((c) => c === name);
    if (!known)
      issues.push({ line, message: `the column \`${cell}\` is not one Tandem reads: ${EXPECTED}` });
    else if (columns[known] !== undefined)
      issues.push({ line, message: `the column \`${cell}\` appears twice` });
    else columns[known] = index;
  });
  for (const required of REQUIRED)
    if (columns[required] === undefined)
      issues.push({
        line,
        message: `the table has no \`${HEADER[COLUMNS.indexOf(required)]}\` column: ${EXPECTED}`,
      });
  return issues.length === 0 ? { ok: true, columns } : { ok: false, issues };
}
