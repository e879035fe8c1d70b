// A session's sandbox through its life, against a real sandbox host: ready at the latest commit
// when a prompt arrives, asleep when idle, restored with its changes for the follow-up.
import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { drizzle } from "drizzle-orm/durable-sqlite";
import { describe, expect, it } from "vitest";
import type { SessionEvent } from "../../protocol/events.ts";
import * as schema from "../../durable-objects/session/session.sql.ts";
import { SessionStore } from "../../durable-objects/session/store.ts";
import { sandboxProviderFrom } from "../../sandbox/configured-provider.ts";
import { registerWithImage, signUp, type TestPerson } from "./helpers.ts";
import { testRoom } from "./test-room.ts";

const host = JSON.parse(env.TEST_SANDBOX_HOST) as
  { url: string; repoDir: string; commits: string[] } | { unavailable: string };
const available = "url" in host;

async function sandboxEvents(person: TestPerson, sessionId: string) {
  const { events } = (await (
    await person.api(`/api/sessions/${sessionId}/events?limit=1000`)
  ).json()) as { events: SessionEvent[] };
  return events.flatMap((e) => (e.type === "sandbox.status" ? [e.data] : []));
}

describe.skipIf(!available)("a session's sandbox", () => {
  const demo = host as { url: string; repoDir: string; commits: string[] };

  it("is ready at the branch's latest commit, sleeps when idle, and comes back with its changes", async () => {
    const alice = await signUp();
    // The image is at the first commit; the branch has moved on since.
    const imageId = await registerWithImage(alice, "acme/life", demo.repoDir, demo.commits[0]!);

    const created = await alice.api("/api/sessions", {
      body: { repo: "acme/life", title: "life", prompt: { clientId: "p1", text: "start" } },
    });
    const sessionId = ((await created.json()) as { session: { id: string } }).session.id;
    await expect
      .poll(async () => (await sandboxEvents(alice, sessionId)).map((e) => e.status), {
        timeout: 20_000,
      })
      .toEqual(["starting", "syncing", "ready"]);
    const ready = (await sandboxEvents(alice, sessionId)).at(-1)!;
    expect(ready).toMatchObject({ imageId, commit: demo.commits.at(-1) });
    const provider = sandboxProviderFrom(env)!;
    const sandboxId = ready.sandboxId!;
    const branch = await provider.exec(sandboxId, {
      argv: ["git", "rev-parse", "--abbrev-ref", "HEAD"],
    });
    expect(atob(branch.stdout).trim()).toBe(`tandem/${sessionId}`);
    await provider.writeFile(sandboxId, "turn-1.txt", new TextEncoder().encode("made in turn 1\n"));

    // Idle past the deadline: the alarm snapshots the sandbox and stops it.
    const stub = env.SESSION.get(env.SESSION.idFromName(sessionId));
    await runInDurableObject(stub, (_instance, state) => {
      const store = new SessionStore(drizzle(state.storage, { schema }));
      store.saveSandbox({ lastActivityAt: 0 });
      store.setDeadline("sandbox.idle", 1);
    });
    await runDurableObjectAlarm(stub);
    await expect
      .poll(async () => (await sandboxEvents(alice, sessionId)).at(-1)?.status, { timeout: 20_000 })
      .toBe("stopped");
    expect(await provider.getSandbox(sandboxId)).toBeNull();

    // The follow-up restores the snapshot: the turn's file is back.
    await alice.api(`/api/sessions/${sessionId}/prompts`, {
      body: { clientId: "p2", text: "follow up" },
    });
    await expect
      .poll(async () => (await sandboxEvents(alice, sessionId)).map((e) => e.status).slice(3), {
        timeout: 20_000,
      })
      .toEqual(["stopped", "restoring", "ready"]);
    const restored = (await sandboxEvents(alice, sessionId)).at(-1)!;
    const file = await provider.readFile(restored.sandboxId!, "turn-1.txt");
    expect(file.found && new TextDecoder().decode(file.data)).toBe("made in turn 1\n");

    // The host loses the sandbox: the next prompt replaces it from the snapshot and says so.
    await provider.destroySandbox(restored.sandboxId!);
    await alice.api(`/api/sessions/${sessionId}/prompts`, {
      body: { clientId: "p3", text: "after a crash" },
    });
    await expect
      .poll(async () => (await sandboxEvents(alice, sessionId)).map((e) => e.status).slice(6), {
        timeout: 20_000,
      })
      .toEqual(["restoring", "ready"]);
    const replaced = await sandboxEvents(alice, sessionId);
    expect(replaced[6]!.detail).toContain("lost");
    const again = await provider.readFile(replaced[7]!.sandboxId!, "turn-1.txt");
    expect(again.found).toBe(true);
    await provider.destroySandbox(replaced[7]!.sandboxId!);
  });

  it("stays out of the way for a repository that is not registered", async () => {
    const alice = await signUp();
    const created = await alice.api("/api/sessions", {
      body: { repo: "acme/unregistered", title: "plain", prompt: { clientId: "p1", text: "hi" } },
    });
    const sessionId = ((await created.json()) as { session: { id: string } }).session.id;
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await sandboxEvents(alice, sessionId)).toEqual([]);
  });

  it("exists for reads before the workspace is synced, and is synced for writes after", async () => {
    const alice = await signUp();
    const imageId = await registerWithImage(alice, "acme/ready", demo.repoDir, demo.commits[0]!);
    const real = sandboxProviderFrom(env)!;
    // The real host, with the sync held until the test lets it go.
    let releaseSync!: () => void;
    const syncHeld = new Promise<void>((resolve) => (releaseSync = resolve));
    const provider = Object.create(real) as typeof real;
    provider.syncWorkspace = async (id, request) => {
      await syncHeld;
      return real.syncWorkspace(id, request);
    };
    const stub = env.SESSION.get(env.SESSION.newUniqueId());
    await runInDurableObject(stub, async (_instance, state) => {
      const { room } = testRoom(state, {
        sandboxes: {
          provider,
          repository: async () => ({ cloneUrl: demo.repoDir, defaultBranch: "main" }),
          pool: () => ({
            status: async () => ({
              repo: "acme/ready",
              currentImageId: imageId,
              building: null,
              warm: 0,
            }),
            claim: async () => null,
          }),
        },
      });
      const owner = { userId: alice.user.id, login: alice.user.login, name: null, avatarUrl: null };
      expect(room.init({ id: "ses_ready", repo: "acme/ready", title: "t", owner }).ok).toBe(true);
      const signal = new AbortController().signal;
      const exists = await room.sandbox.whenExists(signal);
      expect(exists.ok).toBe(true);
      expect(room.sandbox.isSynced()).toBe(false);
      let synced = false;
      const whenSynced = room.sandbox.whenSynced(signal).then((r) => ((synced = true), r));
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(synced).toBe(false);
      releaseSync();
      expect(await whenSynced).toEqual(exists);
      expect(room.sandbox.isSynced()).toBe(true);
      await real.destroySandbox((exists as { sandboxId: string }).sandboxId);
    });
  });

  it("tells a waiting call why there is no sandbox", async () => {
    const stub = env.SESSION.get(env.SESSION.newUniqueId());
    await runInDurableObject(stub, async (_instance, state) => {
      const { room } = testRoom(state, {
        sandboxes: {
          provider: sandboxProviderFrom(env),
          repository: async () => null,
          pool: () => ({
            status: async () => ({ repo: null, currentImageId: null, building: null, warm: 0 }),
            claim: async () => null,
          }),
        },
      });
      const owner = { userId: "usr_x", login: "x", name: null, avatarUrl: null };
      room.init({ id: "ses_none", repo: "acme/none", title: "t", owner });
      const answer = await room.sandbox.whenExists(new AbortController().signal);
      expect(answer).toEqual({ ok: false, reason: expect.stringContaining("not registered") });
    });
  });
});
