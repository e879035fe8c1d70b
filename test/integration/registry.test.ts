// The image registry against a real sandbox host: register, build now, logs, a failing build, the warm pool.
import {
  createExecutionContext,
  createScheduledController,
  waitOnExecutionContext,
} from "cloudflare:test";
import { env } from "cloudflare:workers";
import worker from "../../worker/index.ts";
import { openDatabase } from "../../worker/db/database.ts";
import { Registry } from "../../registry/registry.ts";
import { collectImages } from "../../registry/refresh.ts";
import { sandboxProviderFrom } from "../../sandbox/configured-provider.ts";
import { describe, expect, it } from "vitest";
import type { BuildSocketMessage, PoolStatus } from "../../protocol/registry.ts";
import { request, signUp, TestSocket, type TestPerson } from "./helpers.ts";

const host = JSON.parse(env.TEST_SANDBOX_HOST) as
  { url: string; token: string; repoDir: string; commits: string[] } | { unavailable: string };
const available = "url" in host;
const sandboxHost = host as { url: string; token: string; repoDir: string; commits: string[] };

type ImageRow = {
  id: string;
  status: string;
  error: string | null;
  commit: string;
  reason: string;
};

async function imagesOf(person: TestPerson, repo: string): Promise<ImageRow[]> {
  return (
    (await (await person.api(`/api/repositories/${repo}/images`)).json()) as { images: ImageRow[] }
  ).images;
}

async function settled(person: TestPerson, repo: string, imageId: string): Promise<ImageRow> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const image = (await imagesOf(person, repo)).find((i) => i.id === imageId);
    if (image && image.status !== "building") return image;
    if (Date.now() > deadline) throw new Error(`image ${imageId} still ${image?.status}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function poolOf(person: TestPerson, repo: string): Promise<PoolStatus> {
  return ((await (await person.api(`/api/repositories/${repo}`)).json()) as { pool: PoolStatus })
    .pool;
}

describe("repositories without a sandbox host", () => {
  it("validates registrations and recipes with clear errors", async () => {
    const alice = await signUp();
    const bad = await alice.api("/api/repositories", {
      body: { repo: "acme/x", recipe: { version: 1, setup: [{ run: "x", timeout: 99999 }] } },
    });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { message: string } }).error.message).toContain(
      "setup[0].timeout",
    );
    const ok = await alice.api("/api/repositories", { body: { repo: "acme/x" } });
    expect(ok.status).toBe(201);
    expect(await ok.json()).toMatchObject({
      repository: {
        repo: "acme/x",
        cloneUrl: "https://github.com/acme/x.git",
        defaultBranch: "main",
        warmPoolSize: 1,
      },
    });
    expect((await alice.api("/api/repositories", { body: { repo: "acme/x" } })).status).toBe(409);
    expect((await alice.api("/api/repositories/acme/nope")).status).toBe(404);
    const noCommit = await alice.api("/api/repositories/acme/x/images", { body: {} });
    expect(noCommit.status).toBe(400);
  });
});

describe.skipIf(!available)(
  `the image registry with a sandbox host${available ? "" : ` (skipped: ${(host as { unavailable: string }).unavailable})`}`,
  () => {
    it("builds an image now, streams and stores its log, makes it current and warms the pool", async () => {
      const alice = await signUp();
      expect(
        (
          await alice.api("/api/repositories", {
            body: { repo: "acme/demo", cloneUrl: sandboxHost.repoDir, warmPoolSize: 1 },
          })
        ).status,
      ).toBe(201);
      // Watch the build live.
      const upgrade = await request("/api/repositories/acme/demo/builds/ws", {
        headers: { Upgrade: "websocket", Authorization: `Bearer ${alice.token}` },
      });
      const ws = upgrade.webSocket!;
      ws.accept();
      const live: BuildSocketMessage[] = [];
      ws.addEventListener("message", (event) =>
        live.push(JSON.parse(event.data as string) as BuildSocketMessage),
      );

      const started = await alice.api("/api/repositories/acme/demo/images", {
        body: { commit: sandboxHost.commits[0] },
      });
      expect(started.status).toBe(202);
      const { imageId } = (await started.json()) as { imageId: string };
      const image = await settled(alice, "acme/demo", imageId);
      expect(image).toMatchObject({ status: "ready", commit: sandboxHost.commits[0], error: null });

      const { lines } = (await (
        await alice.api(`/api/repositories/acme/demo/images/${imageId}/log`)
      ).json()) as { lines: { text: string; step: string }[] };
      expect(lines.map((l) => l.text)).toEqual(
        expect.arrayContaining(["preparing the workspace", "tests pass"]),
      );
      await expect
        .poll(() => live.some((m) => m.type === "finished" && m.imageId === imageId && m.ok))
        .toBe(true);
      expect(
        live.some((m) => m.type === "log" && m.lines.some((l) => l.text === "tests pass")),
      ).toBe(true);
      ws.close();

      await expect
        .poll(async () => (await poolOf(alice, "acme/demo")).warm, { timeout: 15_000 })
        .toBe(1);
      expect(await poolOf(alice, "acme/demo")).toMatchObject({
        currentImageId: imageId,
        building: null,
      });
      const stub = env.REPO_POOL.get(env.REPO_POOL.idFromName("acme/demo"));
      const claimed = await stub.claim();
      expect(claimed).toMatch(/^sbx_/);
    });

    it("keeps the previous image when a build fails, and says which step broke", async () => {
      const alice = await signUp();
      await alice.api("/api/repositories", {
        body: { repo: "acme/flaky", cloneUrl: sandboxHost.repoDir, warmPoolSize: 0 },
      });
      const first = (await (
        await alice.api("/api/repositories/acme/flaky/images", {
          body: { commit: sandboxHost.commits[0] },
        })
      ).json()) as { imageId: string };
      expect((await settled(alice, "acme/flaky", first.imageId)).status).toBe("ready");
      const recipe = await alice.api("/api/repositories/acme/flaky/recipe", {
        method: "PUT",
        body: {
          recipe: { version: 1, build: [{ name: "compile", run: "echo compiling; exit 3" }] },
        },
      });
      expect(recipe.status).toBe(200);
      const second = (await (
        await alice.api("/api/repositories/acme/flaky/images", {
          body: { commit: sandboxHost.commits[1] },
        })
      ).json()) as { imageId: string };
      const failed = await settled(alice, "acme/flaky", second.imageId);
      expect(failed.status).toBe("failed");
      expect(failed.error).toContain("compile");
      expect((await poolOf(alice, "acme/flaky")).currentImageId).toBe(first.imageId);
    });

    it("builds the default branch's head from the cron, once", async () => {
      const alice = await signUp();
      await alice.api("/api/repositories", {
        body: { repo: "acme/cron", cloneUrl: sandboxHost.repoDir, warmPoolSize: 0 },
      });
      const tick = async () => {
        const ctx = createExecutionContext();
        await worker.scheduled(
          createScheduledController({ cron: "*/30 * * * *", scheduledTime: Date.now() }),
          env,
          ctx,
        );
        await waitOnExecutionContext(ctx);
      };
      await tick();
      const [first] = await imagesOf(alice, "acme/cron");
      expect(first).toMatchObject({ commit: sandboxHost.commits.at(-1), reason: "first" });
      expect((await settled(alice, "acme/cron", first!.id)).status).toBe("ready");
      const { repository } = (await (await alice.api("/api/repositories/acme/cron")).json()) as {
        repository: { headCommit: string };
      };
      expect(repository.headCommit).toBe(sandboxHost.commits.at(-1));
      // Nothing moved: the next tick builds nothing.
      await tick();
      expect(await imagesOf(alice, "acme/cron")).toHaveLength(1);
    });

    it("starts a sandbox as soon as someone types a prompt in a session on the repository", async () => {
      const alice = await signUp();
      await alice.api("/api/repositories", {
        body: { repo: "acme/typing", cloneUrl: sandboxHost.repoDir, warmPoolSize: 0 },
      });
      const built = (await (
        await alice.api("/api/repositories/acme/typing/images", {
          body: { commit: sandboxHost.commits[0] },
        })
      ).json()) as { imageId: string };
      await settled(alice, "acme/typing", built.imageId);
      expect((await poolOf(alice, "acme/typing")).warm).toBe(0);
      const created = await alice.api("/api/sessions", {
        body: { repo: "acme/typing", title: "warm me" },
      });
      const { session } = (await created.json()) as { session: { id: string } };
      const socket = await TestSocket.open(alice, session.id);
      socket.send({ type: "typing", typing: true });
      await expect
        .poll(async () => (await poolOf(alice, "acme/typing")).warm, { timeout: 15_000 })
        .toBe(1);
      socket.close();
    });

    it("collects old images nothing holds, and keeps the newest and the held ones", async () => {
      const alice = await signUp();
      await alice.api("/api/repositories", {
        body: { repo: "acme/gc", cloneUrl: sandboxHost.repoDir, warmPoolSize: 0 },
      });
      const build = async (commit: string) => {
        const { imageId } = (await (
          await alice.api("/api/repositories/acme/gc/images", { body: { commit } })
        ).json()) as { imageId: string };
        await settled(alice, "acme/gc", imageId);
        return imageId;
      };
      const old = await build(sandboxHost.commits[0]!);
      const newest = await build(sandboxHost.commits[1]!);
      const registry = new Registry(openDatabase(env.DB));
      const provider = sandboxProviderFrom(env)!;
      await registry.hold(old, "ses_holder", Date.now());
      // Other tests' repositories have old images too; this test speaks only of its own.
      const mine = (ids: string[]) => ids.filter((id) => id === old || id === newest);
      expect(mine(await collectImages(registry, provider, Date.now() + 1))).toEqual([]);
      await registry.release(old, "ses_holder");
      expect(mine(await collectImages(registry, provider, Date.now() + 1))).toEqual([old]);
      const onHost = (await provider.listImages()).map((i) => i.id);
      expect(onHost).not.toContain(old);
      expect(onHost).toContain(newest);
      expect((await imagesOf(alice, "acme/gc")).map((i) => [i.id, i.status])).toEqual([
        [newest, "ready"],
        [old, "deleted"],
      ]);
    });

    it("refuses a second build while one runs", async () => {
      const alice = await signUp();
      await alice.api("/api/repositories", {
        body: {
          repo: "acme/busy",
          cloneUrl: sandboxHost.repoDir,
          warmPoolSize: 0,
          recipe: { version: 1, build: ["sleep 1"] },
        },
      });
      const first = await alice.api("/api/repositories/acme/busy/images", {
        body: { commit: sandboxHost.commits[0] },
      });
      expect(first.status).toBe(202);
      const second = await alice.api("/api/repositories/acme/busy/images", {
        body: { commit: sandboxHost.commits[1] },
      });
      expect(second.status).toBe(409);
      expect(((await second.json()) as { error: { message: string } }).error.message).toContain(
        "already running",
      );
      await settled(alice, "acme/busy", ((await first.json()) as { imageId: string }).imageId);
    });
  },
);
