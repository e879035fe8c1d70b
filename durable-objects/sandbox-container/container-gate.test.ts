import { describe, expect, it } from "vitest";
import type { Sandbox } from "../../protocol/sandbox-host.ts";
import { ContainerGate, type ContainerRuntime, type GateStorage } from "./container-gate.ts";

/** A runtime whose container answers health checks after `bootFetches` refused ones, or exits. */
function scriptedRuntime(script: { bootFetches: number; exitsAtBoot?: boolean }) {
  let running = false;
  let refusals = 0;
  let exit: (() => void) | null = null;
  const forwarded: string[] = [];
  const runtime: ContainerRuntime & { forwarded: string[]; starts: ContainerStartupOptions[] } = {
    forwarded,
    starts: [],
    get running() {
      return running;
    },
    start(options) {
      if (running) throw new Error("already running");
      running = true;
      refusals = 0;
      runtime.starts.push(options ?? {});
      if (script.exitsAtBoot) queueMicrotask(() => runtime.destroy());
    },
    monitor() {
      return new Promise<void>((resolve) => (exit = resolve));
    },
    async destroy() {
      running = false;
      exit?.();
    },
    getTcpPort: () => ({
      fetch: async (input, init) => {
        const request = new Request(input, init);
        if (!running) throw new Error("not running");
        if (refusals++ < script.bootFetches) throw new Error("connection refused");
        forwarded.push(new URL(request.url).pathname);
        return Response.json({ ok: true });
      },
    }),
  };
  return runtime;
}

function memoryStorage(): GateStorage & { alarm: number | null } {
  const values = new Map<string, unknown>();
  return {
    alarm: null,
    get: async <T>(key: string) => values.get(key) as T | undefined,
    put: async (key, value) => void values.set(key, value),
    deleteAll: async () => values.clear(),
    async setAlarm(at) {
      this.alarm = at;
    },
    async deleteAlarm() {
      this.alarm = null;
    },
  };
}

const sandbox: Sandbox = {
  id: "sbx_01m7z81pfwsjsv47gtzvrerqb3",
  imageId: "img_01m7z81n6acwtzrjqqavx3a2r0",
  restoredFrom: null,
  state: "running",
  createdAt: 1,
  limits: { memoryMiB: 2048, pids: 1024, cpuMillis: 2000 },
};

const post = (gate: ContainerGate, body: unknown) =>
  gate.fetch(
    new Request("http://object/container", { method: "POST", body: JSON.stringify(body) }),
  );

describe("the container gate", () => {
  it("answers not_found for everything before its container is started", async () => {
    const gate = new ContainerGate({
      container: scriptedRuntime({ bootFetches: 0 }),
      storage: memoryStorage(),
      now: Date.now,
      log: () => {},
    });
    for (const [method, path] of [
      ["GET", "/container"],
      ["DELETE", "/container"],
      ["POST", "/v1/x"],
    ]) {
      const answer = await gate.fetch(new Request(`http://object${path}`, { method }));
      expect(answer.status).toBe(404);
      expect(await answer.json()).toMatchObject({ error: { code: "not_found" } });
    }
  });

  it("starts once, waits for the server to listen, then forwards and keeps an idle alarm", async () => {
    const container = scriptedRuntime({ bootFetches: 3 });
    const storage = memoryStorage();
    const gate = new ContainerGate({ container, storage, now: Date.now, log: () => {} });
    const [a, b] = await Promise.all([
      post(gate, { role: "sandbox", internet: false, instance: "basic", sandbox }),
      post(gate, { role: "sandbox", internet: false, instance: "basic", sandbox }),
    ]);
    expect([a.status, b.status]).toEqual([200, 200]);
    expect(container.starts).toEqual([
      {
        enableInternet: false,
        instance: "basic",
        env: { TANDEM_ROLE: "sandbox", TANDEM_SANDBOX_ID: sandbox.id },
      },
    ]);
    expect(
      await (
        await gate.fetch(new Request("http://object/v1/sandboxes/x/exec", { method: "POST" }))
      ).json(),
    ).toEqual({ ok: true });
    expect(container.forwarded).toEqual(["/v1/health", "/v1/sandboxes/x/exec"]);
    expect(storage.alarm).toBeGreaterThan(Date.now());
    expect(await (await gate.fetch(new Request("http://object/container"))).json()).toMatchObject({
      role: "sandbox",
      running: true,
      sandbox: { id: sandbox.id },
    });
  });

  it("says the container did not start when it exits while booting", async () => {
    const gate = new ContainerGate({
      container: scriptedRuntime({ bootFetches: 1_000, exitsAtBoot: true }),
      storage: memoryStorage(),
      now: Date.now,
      log: () => {},
    });
    const answer = await post(gate, { role: "git", internet: true });
    expect(answer.status).toBe(503);
    expect(await answer.json()).toMatchObject({ error: { code: "unavailable" } });
  });

  it("never restarts a sandbox whose container stopped, but restarts git containers", async () => {
    const container = scriptedRuntime({ bootFetches: 0 });
    const gate = new ContainerGate({
      container,
      storage: memoryStorage(),
      now: Date.now,
      log: () => {},
    });
    await post(gate, { role: "sandbox", internet: false, sandbox });
    await container.destroy();
    const refused = await gate.fetch(
      new Request("http://object/v1/sandboxes/x/exec", { method: "POST" }),
    );
    expect(await refused.json()).toMatchObject({ error: { code: "sandbox_exited" } });
    expect((await post(gate, { role: "sandbox", internet: false, sandbox })).status).toBe(410);

    const git = scriptedRuntime({ bootFetches: 0 });
    const gitGate = new ContainerGate({
      container: git,
      storage: memoryStorage(),
      now: Date.now,
      log: () => {},
    });
    await post(gitGate, { role: "git", internet: true });
    await git.destroy();
    expect((await post(gitGate, { role: "git", internet: true })).status).toBe(200);
    expect(git.starts).toHaveLength(2);
  });

  it("stops an idle container at its alarm and forgets it", async () => {
    const container = scriptedRuntime({ bootFetches: 0 });
    const storage = memoryStorage();
    const gate = new ContainerGate({ container, storage, now: Date.now, log: () => {} });
    await post(gate, { role: "git", internet: true });
    await gate.alarm();
    expect(container.running).toBe(false);
    expect(storage.alarm).toBeNull();
    expect((await gate.fetch(new Request("http://object/container"))).status).toBe(404);
  });
});
