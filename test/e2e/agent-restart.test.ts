// The platform killed mid-turn: after it starts again, the session's alarm resumes the turn from
// its checkpoint, the command that was running is reported as interrupted (not run twice), and
// the turn finishes. Real wrangler dev, real sandbox host, real model client against the stand-in.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SessionView } from "../../protocol/api.ts";
import { platformApi } from "./platform-api.ts";
import { startLocalPlatform, type LocalPlatform } from "../../scripts/local-platform.ts";
import {
  sandboxTestsUnavailable,
  startTestHost,
  type TestHost,
} from "../../sandbox-host/test-host.ts";
import { makeTestRepo } from "../../sandbox/test-repo.ts";
import { startModelStandIn, type ModelStandIn } from "../model-stand-in/server.ts";

const unavailable = sandboxTestsUnavailable();

describe.skipIf(unavailable !== null)(
  `a turn across a crash of the platform${unavailable ? ` (skipped: ${unavailable})` : ""}`,
  () => {
    let model: ModelStandIn;
    let host: TestHost;
    let platform: LocalPlatform;
    let token: string;

    const { api, events } = platformApi(
      () => platform.url,
      () => token,
    );

    beforeAll(async () => {
      [model, host] = await Promise.all([startModelStandIn({ seed: 5 }), startTestHost()]);
      platform = await startLocalPlatform({
        vars: {
          ANTHROPIC_BASE_URL: model.url,
          ANTHROPIC_API_KEY: "e2e-model-key",
          TANDEM_AGENT_RETRY_BASE_MS: "10",
          SANDBOX_HOST_URL: host.host.url,
          SANDBOX_HOST_TOKEN: host.config.token,
        },
      });
      token = await platform.createUser("resumer");
    }, 120_000);
    afterAll(async () => {
      await platform?.stop();
      await Promise.all([model?.stop(), host?.stop()]);
    });

    it("resumes the turn after the platform is killed mid-command, never running it twice", async () => {
      const repo = await makeTestRepo({ "README.md": "restart\n" });
      await api("/api/repositories", { repo: "acme/restart", cloneUrl: repo.dir, warmPoolSize: 0 });
      const { imageId } = await api<{ imageId: string }>("/api/repositories/acme/restart/images", {
        commit: repo.commits[0],
      });
      await expect
        .poll(
          async () =>
            (
              await api<{ pool: { currentImageId: string | null } }>(
                "/api/repositories/acme/restart",
              )
            ).pool.currentImageId,
          { timeout: 30_000 },
        )
        .toBe(imageId);
      model.setScript("restart", {
        responses: [
          {
            content: [
              { type: "text", text: "Counting, slowly." },
              {
                type: "tool_use",
                id: "toolu_count",
                name: "run_command",
                input: { command: "echo once >> count.txt; sleep 20; echo late >> count.txt" },
              },
            ],
          },
          { content: [{ type: "text", text: "Resumed after the restart." }] },
        ],
      });
      const { session } = await api<{ session: SessionView }>("/api/sessions", {
        repo: "acme/restart",
        title: "restart",
        prompt: { clientId: "r", text: "Count once [script:restart]" },
      });
      await expect
        .poll(async () => (await events(session.id)).some((e) => e.type === "agent.tool_started"), {
          timeout: 30_000,
        })
        .toBe(true);
      // The command runs once the sandbox is ready; its id is in the ready event.
      let sandboxId: string | null = null;
      await expect
        .poll(
          async () => {
            const ready = (await events(session.id)).find(
              (e) => e.type === "sandbox.status" && e.data.status === "ready",
            );
            sandboxId = ready?.type === "sandbox.status" ? ready.data.sandboxId : null;
            return sandboxId;
          },
          { timeout: 30_000 },
        )
        .not.toBeNull();
      const count = async () =>
        atob(
          (
            await host.client.exec(sandboxId!, {
              argv: ["bash", "-c", "cat count.txt 2>/dev/null"],
            })
          ).stdout,
        );
      await expect.poll(count, { timeout: 10_000 }).toBe("once\n");

      await platform.crashAndRestart();
      // Nobody touches the session: its alarm alone brings the turn back.
      await expect
        .poll(() => model.requests("restart").length, { timeout: 60_000, interval: 500 })
        .toBeGreaterThanOrEqual(2);

      await expect
        .poll(
          async () => (await events(session.id)).find((e) => e.type === "prompt.finished")?.data,
          {
            timeout: 30_000,
          },
        )
        .toMatchObject({ state: "done" });
      const timeline = await events(session.id);
      expect(
        timeline.flatMap((e) => (e.type === "agent.turn_started" ? [e.data.resumed] : [])),
      ).toEqual([false, true]);
      expect(
        timeline.flatMap((e) =>
          e.type === "agent.tool_finished" ? [[e.data.toolUseId, e.data.status]] : [],
        ),
      ).toEqual([["toolu_count", "interrupted"]]);
      expect(
        timeline.some(
          (e) => e.type === "agent.text" && e.data.text === "Resumed after the restart.",
        ),
      ).toBe(true);
      // The command ran once and was not started again.
      expect(await count()).toBe("once\n");
      // The model heard that the call was interrupted.
      expect(JSON.stringify(model.requests("restart").at(-1)!.body)).toContain("interrupted");
    }, 180_000);
  },
);
