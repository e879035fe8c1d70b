// Warming a sandbox while someone writes the first prompt of a new session.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { PoolStatus } from "../../protocol/registry.ts";
import { ORIGIN, registerWithImage, request, signUp, type TestPerson } from "./helpers.ts";

const host = JSON.parse(env.TEST_SANDBOX_HOST) as
  { url: string; token: string; repoDir: string; commits: string[] } | { unavailable: string };
const available = "url" in host;

async function poolOf(person: TestPerson, repo: string): Promise<PoolStatus> {
  return ((await (await person.api(`/api/repositories/${repo}`)).json()) as { pool: PoolStatus })
    .pool;
}

describe("POST /api/repositories/:owner/:name/prewarm", () => {
  it("needs a signed-in person", async () => {
    const response = await request("/api/repositories/acme/anything/prewarm", { method: "POST" });
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ error: { code: "unauthenticated" } });
  });

  it("answers not_found for a repository that is not registered", async () => {
    const alice = await signUp();
    const response = await alice.api("/api/repositories/acme/unregistered/prewarm", {
      method: "POST",
    });
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ error: { code: "not_found" } });
  });

  it("refuses a cookie request from another site", async () => {
    const alice = await signUp();
    await alice.api("/api/repositories", { body: { repo: "acme/prewarm-csrf", warmPoolSize: 0 } });
    const signedIn = await request("/api/auth/session", {
      method: "POST",
      headers: { "Content-Type": "application/json", Origin: ORIGIN },
      body: JSON.stringify({ token: alice.token }),
    });
    const cookie = signedIn.headers.get("Set-Cookie")!.split(";")[0]!;
    const foreign = await request("/api/repositories/acme/prewarm-csrf/prewarm", {
      method: "POST",
      headers: { Cookie: cookie, Origin: "https://evil.example" },
    });
    expect(foreign.status).toBe(403);
    const own = await request("/api/repositories/acme/prewarm-csrf/prewarm", {
      method: "POST",
      headers: { Cookie: cookie, Origin: ORIGIN },
    });
    expect(own.status).toBe(202);
  });

  it("answers 202 at once for a repository that has no image yet, and warms nothing", async () => {
    const alice = await signUp();
    await alice.api("/api/repositories", { body: { repo: "acme/prewarm-cold", warmPoolSize: 0 } });
    const response = await alice.api("/api/repositories/acme/prewarm-cold/prewarm", {
      method: "POST",
    });
    expect(response.status).toBe(202);
    expect(await poolOf(alice, "acme/prewarm-cold")).toMatchObject({
      currentImageId: null,
      warm: 0,
    });
  });

  it.skipIf(!available)(
    "starts a sandbox for a repository whose pool is normally empty",
    async () => {
      const { repoDir, commits } = host as { repoDir: string; commits: string[] };
      const alice = await signUp();
      await registerWithImage(alice, "acme/prewarm", repoDir, commits[0]!);
      expect((await poolOf(alice, "acme/prewarm")).warm).toBe(0);
      const response = await alice.api("/api/repositories/acme/prewarm/prewarm", {
        method: "POST",
      });
      expect(response.status).toBe(202);
      await expect
        .poll(async () => (await poolOf(alice, "acme/prewarm")).warm, { timeout: 15_000 })
        .toBe(1);
      // Asking again while one is warm starts no second sandbox.
      await alice.api("/api/repositories/acme/prewarm/prewarm", { method: "POST" });
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect((await poolOf(alice, "acme/prewarm")).warm).toBe(1);
    },
    30_000,
  );
});
