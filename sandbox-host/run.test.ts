import { describe, expect, it } from "vitest";
import { leftoverProcesses } from "./leftover-processes.ts";
import { run, runOrThrow } from "./run.ts";

describe("running host commands", () => {
  it("collects output and the exit code, failing with stderr only when asked to", async () => {
    expect(await run("sh", ["-c", "echo out; echo err >&2; exit 3"])).toEqual({
      code: 3,
      stdout: "out\n",
      stderr: "err\n",
    });
    await expect(runOrThrow("sh", ["-c", "echo nope >&2; exit 1"])).rejects.toThrow("nope");
  });

  it("kills a whole pipeline when aborted", async () => {
    const marker = `/tmp/tandem-run-abort-${process.pid}`;
    const abort = new AbortController();
    const started = Date.now();
    const running = run("sh", ["-c", 'sleep 30 | sh -c "sleep 30; true" sh "$0"', marker], {
      signal: abort.signal,
    });
    await new Promise((resolve) => setTimeout(resolve, 100));
    // The outer shell and the inner one both name the marker.
    expect(await leftoverProcesses([marker])).toHaveLength(2);
    abort.abort(new Error("time is up"));
    await expect(running).rejects.toThrow("time is up");
    expect(Date.now() - started).toBeLessThan(5_000);
    // The pipeline's inner shell went with the group.
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await leftoverProcesses([marker])).toEqual([]);
  });
});
