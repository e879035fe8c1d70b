import { describe, expect, it } from "vitest";
import type { BuildLogLine } from "../api/repositories.ts";
import { linesByImage, MAX_LOG_LINES, mergeLogLines } from "./log-lines.ts";

const line = (seq: number, imageId = "img_a"): BuildLogLine => ({
  seq,
  imageId,
  step: "setup",
  stream: "stdout",
  text: `line ${seq}`,
  at: seq,
});
const seqs = (lines: readonly BuildLogLine[]) => lines.map((l) => l.seq);

describe("mergeLogLines", () => {
  it("appends live lines that follow what is shown", () => {
    expect(seqs(mergeLogLines([line(1), line(2)], [line(3), line(4)]))).toEqual([1, 2, 3, 4]);
  });

  it("keeps each line once when the stored log and the live one overlap", () => {
    expect(seqs(mergeLogLines([line(1), line(2), line(3)], [line(2), line(3), line(4)]))).toEqual([
      1, 2, 3, 4,
    ]);
  });

  it("puts lines that arrive out of order in their place", () => {
    expect(seqs(mergeLogLines([line(5), line(7)], [line(6), line(1)]))).toEqual([1, 5, 6, 7]);
  });

  it("returns the same array when nothing arrives", () => {
    const current = [line(1)];
    expect(mergeLogLines(current, [])).toBe(current);
  });

  it("keeps only the newest lines of a very long log", () => {
    const many = Array.from({ length: MAX_LOG_LINES + 10 }, (_, i) => line(i + 1));
    const merged = mergeLogLines([], many);
    expect(merged).toHaveLength(MAX_LOG_LINES);
    expect(merged[0]!.seq).toBe(11);
  });
});

describe("linesByImage", () => {
  it("groups lines by build, in arrival order", () => {
    const groups = linesByImage([line(1, "a"), line(2, "b"), line(3, "a")]);
    expect([...groups.keys()]).toEqual(["a", "b"]);
    expect(seqs(groups.get("a")!)).toEqual([1, 3]);
  });
});
