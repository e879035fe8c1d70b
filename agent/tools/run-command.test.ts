// run_command against a real sandbox: exit codes, timeouts, capped output, streaming and stopping.
import { expect, it } from "vitest";
import { runCommand } from "./run-command.ts";
import { describeWithSandbox } from "./test-sandbox.ts";

describeWithSandbox("run_command", { "README.md": "hello\n" }, (fixture) => {
  it("returns the output and the exit code, in the workspace", async () => {
    const run = await fixture().call(runCommand, { command: "pwd && cat README.md" });
    expect(run.isError).toBe(false);
    expect(run.output).toMatch(/^\/workspace\nhello\n\n\[Exit code 0 after \d+ ms\.\]$/);
  });

  it("joins stderr to stdout in the order they were written and marks failures", async () => {
    const run = await fixture().call(runCommand, {
      command: "echo one; echo two >&2; echo three; exit 3",
    });
    expect(run.isError).toBe(true);
    expect(run.output).toMatch(/^one\ntwo\nthree\n\n\[Exit code 3 after/);
  });

  it("runs in cwd and says when it does not exist", async () => {
    await fixture().shell("mkdir -p sub/dir");
    const run = await fixture().call(runCommand, { command: "pwd", cwd: "sub/dir" });
    expect(run.output).toMatch(/^\/workspace\/sub\/dir\n/);
    const missing = await fixture().call(runCommand, { command: "pwd", cwd: "nope" });
    expect(missing).toMatchObject({ isError: true, output: expect.stringContaining("nope") });
  });

  it("says when there is no output", async () => {
    const run = await fixture().call(runCommand, { command: "true" });
    expect(run.output).toMatch(/^\(no output\)\n\n\[Exit code 0/);
  });

  it("kills a command at its timeout and says how to give it longer", async () => {
    const started = Date.now();
    const run = await fixture().call(runCommand, {
      command: "echo started; sleep 30",
      timeout_seconds: 1,
    });
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(run.isError).toBe(true);
    expect(run.output).toMatch(
      /^started\n\n\[Timed out after 1 s; the command and its children were killed\.\]/,
    );
    expect(run.output).toContain("larger timeout_seconds");
  });

  it("keeps the head and the tail of long output and says how much was cut", async () => {
    const run = await fixture().call(runCommand, { command: "seq 1 100000" });
    const output = run.output;
    expect(output).toMatch(/^1\n2\n3\n/);
    expect(output).toMatch(/\n99999\n100000\n\n\[Exit code 0/);
    expect(output.length).toBeLessThan(31 * 1024);
    const cut = /\[… ([\d.]+) KiB cut from the middle … Redirect the output to a file/.exec(output);
    // The bytes shown and the bytes the note counts add up to the whole output.
    const whole = Array.from({ length: 100_000 }, (_, i) => `${i + 1}\n`).join("").length;
    const shown = output.replace(/\[… .*\]\n/, "").replace(/\n\[Exit code.*$/s, "").length;
    expect(Math.abs(whole - shown - Number(cut![1]) * 1024)).toBeLessThan(60);
  });

  it("counts output the sandbox did not keep in what was cut", async () => {
    const run = await fixture().call(runCommand, {
      command: "head -c 3000000 /dev/zero | tr '\\0' x",
    });
    expect(run.output).toMatch(/^x+\n\[… 2\.8 MiB cut from the middle … .*\]\nx+\n\n\[Exit code 0/);
  });

  it("streams output while the command runs", async () => {
    await fixture().call(runCommand, { command: "echo first; sleep 0.2; echo second" });
    expect(fixture().progress.join("")).toBe("first\nsecond\n");
  });

  it("kills the command and its children when the turn is stopped", async () => {
    const stop = new AbortController();
    const running = fixture().call(
      runCommand,
      { command: "sleep 30 & echo $! > /tmp/child; wait; echo finished > /tmp/finished" },
      stop.signal,
    );
    for (let i = 0; i < 50 && !(await fixture().shell("cat /tmp/child 2>/dev/null || true")); i++)
      await new Promise((resolve) => setTimeout(resolve, 100));
    stop.abort();
    await expect(running).rejects.toThrow();
    const child = (await fixture().shell("cat /tmp/child")).trim();
    let alive = "alive";
    for (let i = 0; i < 30 && alive === "alive"; i++) {
      alive = (
        await fixture().shell(`kill -0 ${child} 2>/dev/null && echo alive || echo gone`)
      ).trim();
      if (alive === "alive") await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(alive).toBe("gone");
    expect(await fixture().shell("cat /tmp/finished 2>/dev/null || echo never")).toBe("never\n");
  });
});
