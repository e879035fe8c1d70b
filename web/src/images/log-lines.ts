// Putting a build's log together from the stored lines and the live ones, in order, once each.
import type { BuildLogLine } from "../api/repositories.ts";

/** The most lines kept for one build; older ones are dropped first. */
export const MAX_LOG_LINES = 5_000;

/** `current` with `incoming` added: ordered by seq, each seq once, the newest MAX_LOG_LINES kept. */
export function mergeLogLines(
  current: readonly BuildLogLine[],
  incoming: readonly BuildLogLine[],
): readonly BuildLogLine[] {
  if (incoming.length === 0) return current;
  const last = current.at(-1)?.seq ?? -Infinity;
  let merged: BuildLogLine[];
  if (
    incoming.every((line, i) => line.seq > last && (i === 0 || line.seq > incoming[i - 1]!.seq))
  ) {
    // The usual case: live lines that follow what is shown.
    merged = [...current, ...incoming];
  } else {
    const bySeq = new Map<number, BuildLogLine>();
    for (const line of current) bySeq.set(line.seq, line);
    for (const line of incoming) bySeq.set(line.seq, line);
    merged = [...bySeq.values()].sort((a, b) => a.seq - b.seq);
  }
  return merged.length > MAX_LOG_LINES ? merged.slice(-MAX_LOG_LINES) : merged;
}

/** Lines grouped by the build they belong to, in the order they came. */
export function linesByImage(lines: readonly BuildLogLine[]): Map<string, BuildLogLine[]> {
  const groups = new Map<string, BuildLogLine[]>();
  for (const line of lines) {
    const group = groups.get(line.imageId);
    if (group) group.push(line);
    else groups.set(line.imageId, [line]);
  }
  return groups;
}
