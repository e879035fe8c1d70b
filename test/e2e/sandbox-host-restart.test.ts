// The sandbox host killed mid-command and started again: the command ends with an error, the turn
// finishes, and the next prompt gets a replacement sandbox restored from what the host rescued of
// the lost one, so the change made after the last snapshot is kept. Real wrangler dev, a real
// sandbox host daemon, the real model client against the stand-in.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { randomSecret } from "../../crypto/digest.ts";
import type { SessionView } from "../../protocol/api.ts";
import { freePort, startLocalPlatform, type LocalPlatform } from "../../scripts/local-platform.ts";
import { platformApi } from "./platform-api.ts";
import { logged, startDaemon, type TestDaemon } from "../../sandbox-host/test-daemon.ts";
import { sandboxTestsUnavailable } from "../../sandbox-host/test-host.ts";
import { SandboxHostClient } from "../../sandbox/host-client.ts";
import { RESCUE_ANNOUNCEMENT } from "../../sandbox/lifecycle.ts";
import { makeTestRepo } from "../../sandbox/test-repo.ts";
import { startModelStandIn, type ModelStandIn } from "../model-stand-in/server.ts";

const unavailable = sandboxTestsUnavailable();

describe.skipIf(unavailable !== null)(
  `a session across a crash of the sandbox host${unavailable ? ` (skipped: ${unavailable})` : ""}`,
  () => {
    let model: ModelStandIn;
    let daemon: TestDaemon;
    let platform: LocalPlatform;
    let stateDir: string;
    let port: number;
    let token: string;
    const hostToken = randomSecret("hst");

    const { api, events } = platformApi(
      () => platform.url,
      () => token,
    );
    const finished = async (sessionId: string) =>
      (await events(sessionId)).filter((e) => e.type === "prompt.finished").length;

    beforeAll(async () => {
      stateDir = await mkdtemp(join(tmpdir(), "tandem-host-restart-"));
      // A fixed port: the platform keeps the host's URL across the host's restart.
      port = await freePort();
      [model, daemon] = await Promise.all([
        startModelStandIn({ seed: 13 }),
        startDaemon({ stateDir, token: hostToken, port }),
      ]);
      platform = await startLocalPlatform({
        vars: {
          ANTHROPIC_BASE_URL: model.url,
          ANTHROPIC_API_KEY: "e2e-model-key",
          TANDEM_AGENT_RETRY_BASE_MS: "10",
          SANDBOX_HOST_URL: daemon.url,
          SANDBOX_HOST_TOKEN: hostToken,
        },
      });
      token = await platform.createUser("rescuer");
    }, 240_000);
    afterAll(async () => {
      await platform?.stop();
      await Promise.all([model?.stop(), daemon?.kill("SIGTERM")]);
      if (stateDir) await rm(stateDir, { recursive: true, force: true, maxRetries: 3 });
    });

    it("keeps the change made after the last snapshot when the host is killed mid-command", async () => {
      const repo = await makeTestRepo({ "README.md": "host restart\n" });
      await api("/api/repositories", {
        repo: "acme/host-restart",
        cloneUrl: repo.dir,
        warmPoolSize: 0,
      });
      const { imageId } = await api<{ imageId: string }>(
        "/api/repositories/acme/host-restart/images",
        { commit: repo.commits[0] },
      );
      await expect
        .poll(
          async () =>
            (
              await api<{ pool: { currentImageId: string | null } }>(
                "/api/repositories/acme/host-restart",
              )
            ).pool.currentImageId,
          { timeout: 60_000 },
        )
        .toBe(imageId);
      model.setScript("host-restart", {
        responses: [
          // Turn 1.
          {
            content: [
              {
                type: "tool_use",
                id: "toolu_a",
                name: "write_file",
                input: { path: "a.txt", content: "from turn 1\n" },
              },
            ],
          },
          { content: [{ type: "text", text: "Wrote a.txt." }] },
          // Turn 2: the host is killed while the command sleeps.
          {
            content: [
              {
                type: "tool_use",
                id: "toolu_b",
                name: "write_file",
                input: { path: "b.txt", content: "from turn 2\n" },
              },
            ],
          },
          {
            content: [
              {
                type: "tool_use",
                id: "toolu_sleep",
                name: "run_command",
                input: { command: "sleep 30" },
              },
            ],
          },
          { content: [{ type: "text", text: "The command was cut short." }] },
          // Turn 3, on the replacement sandbox.
          {
            content: [
              { type: "tool_use", id: "toolu_read", name: "read_file", input: { path: "b.txt" } },
            ],
          },
          { content: [{ type: "text", text: "b.txt is still there." }] },
        ],
      });
      const { session } = await api<{ session: SessionView }>("/api/sessions", {
        repo: "acme/host-restart",
        title: "host restart",
        prompt: { clientId: "t1", text: "Write a.txt [script:host-restart]" },
      });
      await expect.poll(() => finished(session.id), { timeout: 60_000 }).toBe(1);

      await api(`/api/sessions/${session.id}/prompts`, {
        clientId: "t2",
        text: "Write b.txt, then wait",
      });
      await expect
        .poll(
          async () =>
            (await events(session.id)).some(
              (e) => e.type === "agent.tool_started" && e.data.toolUseId === "toolu_sleep",
            ),
          { timeout: 30_000 },
        )
        .toBe(true);
      const before = new SandboxHostClient({ url: daemon.url, token: hostToken });
      const [lost] = await before.listSandboxes();
      // The command is running in the sandbox when the host dies.
      await expect
        .poll(
          async () =>
            atob(
              (
                await before.exec(lost!.id, {
                  argv: ["sh", "-c", "ps -eo args | grep -c '^sleep 30' || true"],
                })
              ).stdout,
            ).trim(),
          { timeout: 10_000 },
        )
        .toBe("1");
      await daemon.kill("SIGKILL");
      daemon = await startDaemon({ stateDir, token: hostToken, port });
      expect(logged(daemon, "host.reconciled")).toMatchObject({ sandboxes: 1, rescued: 1 });
      const host = new SandboxHostClient({ url: daemon.url, token: hostToken });

      // The command ends with an error rather than hanging, and the turn finishes.
      await expect.poll(() => finished(session.id), { timeout: 60_000 }).toBe(2);
      const afterCrash = await events(session.id);
      expect(
        afterCrash.flatMap((e) =>
          e.type === "agent.tool_finished" && e.data.toolUseId === "toolu_sleep"
            ? [e.data.status]
            : [],
        ),
      ).toEqual(["error"]);

      await api(`/api/sessions/${session.id}/prompts`, { clientId: "t3", text: "Is b.txt there?" });
      await expect.poll(() => finished(session.id), { timeout: 60_000 }).toBe(3);
      const timeline = await events(session.id);

      // Every event is there, in order, and every prompt finished.
      expect(timeline.map((e) => e.seq)).toEqual(timeline.map((_, i) => timeline[0]!.seq + i));
      expect(timeline.flatMap((e) => (e.type === "prompt.finished" ? [e.data.state] : []))).toEqual(
        ["done", "done", "done"],
      );

      // The replacement was restored from the rescue and says so.
      const statuses = timeline.flatMap((e) => (e.type === "sandbox.status" ? [e.data] : []));
      const restoring = statuses.find((s) => s.status === "restoring");
      expect(restoring?.detail).toBe(RESCUE_ANNOUNCEMENT);
      const replacement = statuses.at(-1)!;
      expect(replacement.status).toBe("ready");
      expect(replacement.sandboxId).not.toBe(lost!.id);
      const rescue = await host.rescued(lost!.id);
      expect((await host.getSandbox(replacement.sandboxId!))?.restoredFrom).toBe(
        rescue!.snapshotId,
      );

      // It has both turns' files: b.txt only thanks to the rescue.
      for (const [path, text] of [
        ["a.txt", "from turn 1\n"],
        ["b.txt", "from turn 2\n"],
      ] as const) {
        const read = await host.readFile(replacement.sandboxId!, path);
        expect(read.found && new TextDecoder().decode(read.data)).toBe(text);
      }
      const readB = timeline.find(
        (e) => e.type === "agent.tool_finished" && e.data.toolUseId === "toolu_read",
      );
      expect(readB?.type === "agent.tool_finished" && readB.data).toMatchObject({ status: "ok" });
      expect(readB?.type === "agent.tool_finished" && readB.data.output).toContain("from turn 2");

      // Turn 1 committed a.txt; b.txt is committed by turn 2 or, after the rescue, turn 3.
      const commits = timeline.flatMap((e) => (e.type === "commit.created" ? [e.data.files] : []));
      expect(commits[0]).toContain("a.txt");
      expect(commits.slice(1).some((files) => files.includes("b.txt"))).toBe(true);
      await host.destroySandbox(replacement.sandboxId!);
    }, 300_000);
  },
);
