// The configuration deploys: wrangler bundles the Worker, its Durable Objects and assets.
import { execFile } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";

const run = promisify(execFile);

describe("deployment", () => {
  it("bundles with `wrangler deploy --dry-run` and names every binding", async () => {
    const outdir = mkdtempSync(join(tmpdir(), "tandem-bundle-"));
    try {
      const { stdout } = await run("npx", ["wrangler", "deploy", "--dry-run", "--outdir", outdir], {
        env: {
          ...process.env,
          WRANGLER_SEND_METRICS: "false",
          CLOUDFLARE_CF_FETCH_ENABLED: "false",
        },
      });
      for (const binding of [
        "env.SESSION (SessionObject)",
        "env.REPO_POOL (RepoPoolObject)",
        "env.DB (tandem)",
        "env.ASSETS",
      ]) {
        expect(stdout).toContain(binding);
      }
      expect(readdirSync(outdir)).toContain("index.js");
    } finally {
      rmSync(outdir, { recursive: true, force: true });
    }
  }, 60_000);
});
