// The daemon refuses to start, with a sentence saying what to do, on a machine that cannot isolate.
import { spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";

function runDaemon(
  env: Record<string, string>,
  prefix: string[] = [],
): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const [command, ...args] = [...prefix, process.execPath, "sandbox-host/main.ts"];
    const child = spawn(command!, args, {
      env: env as NodeJS.ProcessEnv,
      stdio: ["ignore", "ignore", "pipe"],
    });
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("close", (code) => resolve({ code, stderr }));
  });
}

describe("starting the sandbox host", () => {
  const dirs: string[] = [];
  afterAll(async () => {
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  });
  const base = async () => {
    const state = await mkdtemp(join(tmpdir(), "tandem-startup-"));
    dirs.push(state);
    return { TANDEM_HOST_TOKEN: "x".repeat(40), TANDEM_HOST_PORT: "0", TANDEM_HOST_STATE: state };
  };

  it("stops with how to install bubblewrap when it is missing", async () => {
    const result = await runDaemon({ ...(await base()), PATH: "/nonexistent" });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("apt-get install -y bubblewrap");
  });

  it("stops with a clear message when the token is missing or short", async () => {
    const result = await runDaemon({
      ...(await base()),
      TANDEM_HOST_TOKEN: "short",
      PATH: process.env.PATH ?? "",
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("TANDEM_HOST_TOKEN must be at least 32 characters");
  });

  it.skipIf(process.getuid?.() !== 0)(
    "stops with a clear message when it is not root",
    async () => {
      const result = await runDaemon({ ...(await base()), PATH: process.env.PATH ?? "" }, [
        "setpriv",
        "--reuid=65534",
        "--regid=65534",
        "--clear-groups",
        "--",
      ]);
      expect(result.code).toBe(1);
      expect(result.stderr).toContain("needs root");
    },
  );
});
