// The daemon refuses to start, with a sentence saying what to do, on a machine that cannot isolate
// or over a state folder it cannot use.
import { spawn, spawnSync } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";

const hasBubblewrap = spawnSync("sh", ["-c", "command -v bwrap"]).status === 0;

function runDaemon(env: Record<string, string>): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ["sandbox-host/main.ts"], {
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

  it.skipIf(!hasBubblewrap)(
    "stops with a clear message when its state folder belongs to a host of another mode",
    async () => {
      const env = await base();
      // The other mode than this one, and copied workspaces.
      const made = { rootless: process.getuid?.() === 0, workspaces: "copy" };
      await writeFile(join(env.TANDEM_HOST_STATE, "host-mode.json"), JSON.stringify(made));
      const result = await runDaemon({ ...env, PATH: process.env.PATH ?? "" });
      expect(result.code).toBe(1);
      expect(result.stderr).toContain("Give this host its own TANDEM_HOST_STATE");
    },
  );
});
