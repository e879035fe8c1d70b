// A pipeline run across a crash of the platform: killed while its second role's turn waits on the
// model, it resumes after the restart at that role (not from the start) and completes.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SessionView } from "../../protocol/api.ts";
import type { PipelineRunView } from "../../protocol/pipelines.ts";
import { platformApi } from "./platform-api.ts";
import { startLocalPlatform, type LocalPlatform } from "../../scripts/local-platform.ts";
import { startModelStandIn, type ModelStandIn } from "../model-stand-in/server.ts";

describe("a pipeline run across a crash of the platform", () => {
  let model: ModelStandIn;
  let platform: LocalPlatform;
  let token: string;

  const { api, events } = platformApi(
    () => platform.url,
    () => token,
  );

  beforeAll(async () => {
    model = await startModelStandIn({ seed: 7 });
    platform = await startLocalPlatform({
      vars: {
        ANTHROPIC_BASE_URL: model.url,
        ANTHROPIC_API_KEY: "e2e-model-key",
        TANDEM_AGENT_RETRY_BASE_MS: "10",
        SANDBOX_HOST_URL: "",
        SANDBOX_HOST_TOKEN: "",
      },
    });
    token = await platform.createUser("piper");
  }, 240_000);
  afterAll(async () => {
    await platform?.stop();
    await model?.stop();
  });

  it("resumes at the role that did not finish, without running finished roles again", async () => {
    await api("/api/repositories", { repo: "acme/pipes", warmPoolSize: 0 });
    const handoff = (summary: string) => ({
      content: [{ type: "tool_use" as const, name: "handoff", input: { summary } }],
    });
    const done = { content: [{ type: "text" as const, text: "ok" }] };
    model.setScript("pipe-plan", { responses: [handoff("Planned"), done] });
    // The build turn's first model call hangs until the platform is killed under it.
    model.setScript("pipe-build", {
      responses: [{ ...handoff("Built"), faults: [{ kind: "hang", times: 1 }] }, done],
    });
    model.setScript("pipe-verify", { responses: [handoff("Verified"), done] });
    await api(
      "/api/repositories/acme/pipes/pipelines/three",
      {
        roles: [
          { name: "plan", instructions: "[script:pipe-plan] Plan." },
          { name: "build", instructions: "[script:pipe-build] Build." },
          { name: "verify", instructions: "[script:pipe-verify] Verify." },
        ],
      },
      "PUT",
    );
    const { session } = await api<{ session: SessionView }>("/api/sessions", {
      repo: "acme/pipes",
      title: "pipeline across a crash",
    });
    const { run } = await api<{ run: PipelineRunView }>(
      `/api/sessions/${session.id}/pipeline-runs`,
      { pipeline: "three", request: "Ship it.", clientId: "run-1" },
    );
    await expect
      .poll(() => model.requests("pipe-build").length, { timeout: 30_000 })
      .toBeGreaterThanOrEqual(1);

    await platform.crashAndRestart();

    const runUrl = `/api/sessions/${session.id}/pipeline-runs/${run.id}`;
    await expect
      .poll(async () => (await api<{ run: PipelineRunView }>(runUrl)).run.status, {
        timeout: 60_000,
        interval: 500,
      })
      .toBe("completed");
    const final = (await api<{ run: PipelineRunView }>(runUrl)).run;
    expect(final.steps.map((s) => `${s.role}#${s.round}:${s.status}`)).toEqual([
      "plan#1:completed",
      "build#1:completed",
      "verify#1:completed",
    ]);
    // plan ran once; build's turn resumed rather than starting over.
    expect(model.requests("pipe-plan").length).toBe(2);
    const timeline = await events(session.id);
    expect(
      timeline.flatMap((e) => (e.type === "agent.turn_started" ? [e.data.resumed] : [])),
    ).toEqual([false, false, true, false]);
    expect(final.log.filter((e) => e.kind === "start").map((e) => e.role)).toEqual([
      "plan",
      "build",
      "verify",
    ]);
  }, 240_000);
});
