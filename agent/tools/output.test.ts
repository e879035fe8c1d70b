// The output helpers: decoding, head-and-tail capping, line cuts and how commands ended.
import { describe, expect, it } from "vitest";
import type { ExecResult } from "../../protocol/sandbox-host.ts";
import {
  capBytes,
  capHeadTail,
  cutLine,
  decodeOutput,
  describeEnd,
  formatBytes,
  formatDuration,
  textToBytes,
} from "./output.ts";

const lines = (count: number, prefix = "line") =>
  Array.from({ length: count }, (_, i) => `${prefix} ${i + 1}`).join("\n") + "\n";

describe("capBytes", () => {
  it("returns short output unchanged", () => {
    expect(capBytes(textToBytes("hello\nworld\n"), 100)).toBe("hello\nworld\n");
  });

  it("keeps the head and the tail at line ends and says how much was cut", () => {
    const text = lines(1000);
    const capped = capBytes(textToBytes(text), 1000);
    const [head, tail] = capped.split(/\[… .* cut from the middle …\]\n/);
    expect(head!.startsWith("line 1\nline 2\n")).toBe(true);
    expect(head!.endsWith("\n")).toBe(true);
    expect(tail!.endsWith("line 999\nline 1000\n")).toBe(true);
    // Whole lines only: every kept line is one the text had.
    for (const line of `${head}${tail}`.split("\n").filter(Boolean))
      expect(text).toContain(`${line}\n`);
    const cut = Number(/\[… (\d+(?:\.\d)?) (?:bytes|KiB) cut/.exec(capped)![1]);
    expect(cut).toBeGreaterThan(0);
    expect(textToBytes(capped).length).toBeLessThan(1100);
  });

  it("counts bytes the sandbox already cut when given the whole size", () => {
    const capped = capBytes(textToBytes("a".repeat(5000)), 1000, { totalBytes: 2 * 1024 * 1024 });
    expect(capped).toMatch(/\[… 2 MiB cut from the middle …\]/);
  });

  it("never splits a character, even in text without line ends", () => {
    const text = "é".repeat(3000) + "€".repeat(3000);
    const capped = capBytes(textToBytes(text), 1001, { hint: "Narrow it." });
    expect(capped).not.toContain("\uFFFD");
    expect(capped).toMatch(/^é+\n\[… .* cut from the middle … Narrow it\.\]\n€+$/);
  });
});

describe("capHeadTail", () => {
  it("says whether it cut anything", () => {
    expect(capHeadTail("short", 100)).toEqual({ text: "short", truncated: false });
    const long = capHeadTail(lines(500), 200);
    expect(long.truncated).toBe(true);
    expect(long.text).toContain("cut from the middle");
  });
});

describe("decodeOutput", () => {
  it("decodes base64 command output as UTF-8", () => {
    expect(decodeOutput(Buffer.from("grüße ✓\n").toString("base64"))).toBe("grüße ✓\n");
    expect(decodeOutput("")).toBe("");
  });
});

describe("cutLine", () => {
  it("cuts long lines and says how much is missing", () => {
    expect(cutLine("abcdef", 10)).toBe("abcdef");
    expect(cutLine("abcdef", 2)).toBe("ab… [line cut: 4 more characters]");
  });
});

describe("describeEnd", () => {
  const end = (over: Partial<ExecResult>): ExecResult => ({
    exitCode: 0,
    signal: null,
    timedOut: false,
    durationMs: 1234,
    stdout: "",
    stderr: "",
    stdoutBytes: 0,
    stderrBytes: 0,
    truncated: false,
    ...over,
  });

  it("names the exit code, the signal or the timeout", () => {
    expect(describeEnd(end({ exitCode: 2 }), 120_000)).toBe("Exit code 2 after 1.2 s.");
    expect(describeEnd(end({ exitCode: null, signal: "SIGKILL" }), 120_000)).toBe(
      "Killed by SIGKILL after 1.2 s.",
    );
    expect(
      describeEnd(end({ exitCode: null, signal: "SIGKILL", timedOut: true }), 120_000),
    ).toMatch(/^Timed out after 2 min;/);
  });
});

describe("formatting sizes and durations", () => {
  it("reads as people write them", () => {
    expect([
      formatBytes(1),
      formatBytes(812),
      formatBytes(14_540),
      formatBytes(3_250_000),
      formatBytes(131_072),
    ]).toEqual(["1 byte", "812 bytes", "14.2 KiB", "3.1 MiB", "128 KiB"]);
    expect([formatDuration(840), formatDuration(12_500), formatDuration(200_000)]).toEqual([
      "840 ms",
      "12.5 s",
      "3 min 20 s",
    ]);
  });
});
