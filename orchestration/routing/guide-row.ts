// One row of a routing table read into a space, with a sentence for each thing wrong with it.
import { RepoSchema } from "../../protocol/api.ts";
import {
  MAX_COVERAGE_TOPICS,
  MAX_PURPOSE_CHARS,
  SpaceNameSchema,
  SpaceSchema,
  type Space,
} from "../../protocol/routing.ts";
import type { TableRow } from "./markdown-table.ts";

/** Where each known column sits in the row (Environment and Covers may be absent). */
export type Columns = Partial<
  Record<"space" | "repository" | "environment" | "purpose" | "covers", number>
>;

/** A row's space, or its problems. */
export type RowRead =
  { ok: true; space: Space } | { ok: false; issues: { line: number; message: string }[] };

/** Reads row number `n` (1-based, below the header) of a routing table. */
export function spaceFromRow(row: TableRow, n: number, columns: Columns): RowRead {
  const cell = (column: keyof Columns) => {
    const index = columns[column];
    // Backticks around names are how people often write them; they are not part of the name.
    return index === undefined ? "" : (row.cells[index] ?? "").replace(/^`(.*)`$/s, "$1").trim();
  };
  const problems: string[] = [];
  const headerWidth = Object.keys(columns).length;
  if (row.cells.length > headerWidth)
    problems.push(
      `it has ${row.cells.length} cells but the header has ${headerWidth}; write a | inside a cell as \\|`,
    );
  const name = cell("space");
  const repo = cell("repository");
  const environment = cell("environment");
  const purpose = cell("purpose");
  const covers = cell("covers");
  const coverage = covers === "" ? [] : covers.split(",").map((t) => t.trim());
  const label = name === "" ? "the space" : `the space \`${name}\``;

  if (name === "") problems.push("the Space cell is empty; give the space a name");
  else if (!SpaceNameSchema.safeParse(name).success)
    problems.push(
      `the space name \`${name}\` must start with a lower-case letter and hold only a-z, 0-9 and - (at most 40 characters)`,
    );
  if (repo === "") problems.push(`${label} names no repository`);
  else if (!RepoSchema.safeParse(repo).success)
    problems.push(`the repository \`${repo}\` is not owner/name`);
  if (purpose === "") problems.push(`${label} has no purpose; say what it is for`);
  else if (purpose.length > MAX_PURPOSE_CHARS)
    problems.push(
      `the purpose of ${label} is ${purpose.length} characters; at most ${MAX_PURPOSE_CHARS} are read`,
    );
  if (coverage.length > MAX_COVERAGE_TOPICS)
    problems.push(
      `${label} covers ${coverage.length} topics; at most ${MAX_COVERAGE_TOPICS} are allowed`,
    );
  coverage.forEach((topic, i) => {
    if (topic === "") problems.push(`topic ${i + 1} in Covers is empty (two commas in a row?)`);
    else if (topic.length > 80)
      problems.push(
        `the topic \`${topic.slice(0, 20)}…\` is ${topic.length} characters; at most 80`,
      );
  });

  const candidate = {
    name,
    kind: environment === "" ? "repository" : "environment",
    repo,
    environment: environment === "" ? null : environment,
    purpose,
    coverage,
  };
  if (problems.length === 0) {
    const checked = SpaceSchema.safeParse(candidate);
    if (checked.success) return { ok: true, space: checked.data };
    // Anything the sentences above do not name still gets a located message.
    problems.push(...checked.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`));
  }
  return {
    ok: false,
    issues: problems.map((message) => ({ line: row.line, message: `row ${n}: ${message}` })),
  };
}
