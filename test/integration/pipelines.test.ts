// Pipelines in real sessions: roles run as turns with their own conversations, contracts are
// checked around each role, the handoff log is kept, and notes persist across runs. (A run cut off
// by a crash is in test/e2e/pipeline-restart.test.ts.)
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { PipelineRunView, RoleNoteView } from "../../protocol/pipelines.ts";
import { eventsOf, scriptMarker, text, tool } from "./scripted.ts";
import { createSession, registerWithImage, signUp, type TestPerson } from "./helpers.ts";

async function registered(person: TestPerson): Promise<string> {
  const repo = `acme-${crypto.randomUUID().slice(0, 8)}/app`;
  const response = await person.api("/api/repositories", { body: { repo, warmPoolSize: 0 } });
  expect(response.status).toBe(201);
  return repo;
}

async function definePipeline(person: TestPerson, repo: string, pipeline: unknown) {
  const name = (pipeline as { name: string }).name;
  const response = await person.api(`/api/repositories/${repo}/pipelines/${name}`, {
    method: "PUT",
    body: pipeline,
  });
  expect(response.status, await response.clone().text()).toBe(200);
}

async function startRun(person: TestPerson, sessionId: string, pipeline: string, request: string) {
  const response = await person.api(`/api/sessions/${sessionId}/pipeline-runs`, {
    body: { pipeline, request, clientId: crypto.randomUUID() },
  });
  expect(response.status, await response.clone().text()).toBe(201);
  return ((await response.json()) as { run: PipelineRunView }).run;
}

async function runOf(person: TestPerson, sessionId: string, runId: string) {
  const response = await person.api(`/api/sessions/${sessionId}/pipeline-runs/${runId}`);
  expect(response.status).toBe(200);
  return ((await response.json()) as { run: PipelineRunView }).run;
}

async function finishedRun(person: TestPerson, sessionId: string, runId: string) {
  await expect
    .poll(async () => (await runOf(person, sessionId, runId)).status, { timeout: 20_000 })
    .toMatch(/completed|failed/);
  return runOf(person, sessionId, runId);
}

const steps = (run: PipelineRunView) => run.steps.map((s) => `${s.role}#${s.round}:${s.status}`);

describe("pipelines", () => {
  it("runs three roles in order, handing fields over and checking contracts", async () => {
    const owner = await signUp();
    const repo = await registered(owner);
    const plan = await scriptMarker("pipe", [
      tool("handoff", { summary: "Planned", fields: { plan: "add a median function" } }),
      text("Planned."),
    ]);
    const build = await scriptMarker("pipe", [
      tool("handoff", { summary: "Built it", fields: { files: "stats.py" } }),
      text("Built."),
    ]);
    const verify = await scriptMarker("pipe", [
      tool("handoff", { summary: "All good", verdict: "passed" }),
      text("Verified."),
    ]);
    await definePipeline(owner, repo, {
      name: "ship",
      roles: [
        { name: "plan", instructions: `${plan} Plan the work.`, output: [{ has: "plan" }] },
        { name: "build", instructions: `${build} Build it.`, input: [{ has: "plan" }] },
        {
          name: "verify",
          instructions: `${verify} Verify it.`,
          input: [{ has: "files" }],
          output: [{ verdict: ["passed"] }],
        },
      ],
    });
    const sessionId = await createSession(owner, { repo });
    const started = await startRun(owner, sessionId, "ship", "Add a median.");
    expect(started).toMatchObject({ pipeline: "ship", roles: ["plan", "build", "verify"] });
    const run = await finishedRun(owner, sessionId, started.id);
    expect(run.status).toBe("completed");
    expect(steps(run)).toEqual(["plan#1:completed", "build#1:completed", "verify#1:completed"]);
    expect(run.log.map((e) => `${e.kind}:${e.role}`)).toEqual([
      "start:plan",
      "done:plan",
      "start:build",
      "done:build",
      "start:verify",
      "done:verify",
    ]);
    // Each role was told what was handed to it, and only that.
    const events = await eventsOf(owner, sessionId);
    const prompts = events.flatMap((e) => (e.type === "prompt.queued" ? [e.data.prompt.text] : []));
    expect(prompts[1]).toContain("add a median function");
    expect(prompts[0]).not.toContain("add a median function");
    expect(events.some((e) => e.type === "pipeline.run_finished")).toBe(true);
  });

  it("stops a run whose role breaks its output contract, or ends without handing over", async () => {
    const owner = await signUp();
    const repo = await registered(owner);
    const forgetful = await scriptMarker("pipe", [
      tool("handoff", { summary: "Done" }),
      text("done"),
    ]);
    const silent = await scriptMarker("pipe", [text("I did it but never handed over.")]);
    await definePipeline(owner, repo, {
      name: "strict",
      roles: [
        { name: "plan", instructions: `${forgetful} Plan.`, output: [{ has: "plan" }] },
        { name: "build", instructions: "Build." },
      ],
    });
    await definePipeline(owner, repo, {
      name: "quiet",
      roles: [{ name: "plan", instructions: `${silent} Plan.` }],
    });
    const sessionId = await createSession(owner, { repo });
    const strict = await finishedRun(
      owner,
      sessionId,
      (await startRun(owner, sessionId, "strict", "go")).id,
    );
    expect(strict.status).toBe("failed");
    expect(strict.reason).toContain("The output contract of `plan` was not met");
    expect(strict.reason).toContain("plan");
    expect(steps(strict)).toEqual(["plan#1:failed"]);
    const quiet = await finishedRun(
      owner,
      sessionId,
      (await startRun(owner, sessionId, "quiet", "go")).id,
    );
    expect(quiet.reason).toContain("without calling handoff");
    // An unknown pipeline is refused with what to do.
    const missing = await owner.api(`/api/sessions/${sessionId}/pipeline-runs`, {
      body: { pipeline: "nope", request: "go", clientId: "x" },
    });
    expect(missing.status).toBe(404);
    expect(await missing.text()).toContain(".tandem/pipelines/nope.yaml");
  });

  it("loops implement → review → fix → review, the reviewer keeping its thread and notes", async () => {
    const owner = await signUp();
    const repo = await registered(owner);
    const implement = await scriptMarker("pipe", [
      tool("handoff", { summary: "Implemented" }),
      text("ok"),
    ]);
    const fix = await scriptMarker("pipe", [
      tool("handoff", { summary: "Fixed the findings" }),
      text("ok"),
    ]);
    // One script for the reviewer's whole thread: round 2 continues where round 1 ended.
    const review = await scriptMarker("pipe", [
      tool("note", { text: "parse() lacks error handling; check it first next time." }),
      tool("handoff", {
        summary: "Needs work",
        verdict: "changes_requested",
        fields: { findings: "parse() lacks error handling" },
      }),
      text("Asked for changes."),
      tool("handoff", { summary: "Looks right now", verdict: "approved" }),
      text("Approved."),
    ]);
    await definePipeline(owner, repo, {
      name: "review-loop",
      max_rounds: 3,
      roles: [
        { name: "implement", instructions: `${implement} Implement.` },
        {
          name: "review",
          instructions: `${review} Review.`,
          output: [{ verdict: ["approved", "changes_requested"] }],
          next: [
            { when: [{ verdict: ["approved"] }], goto: "end" },
            { when: [{ verdict: ["changes_requested"] }], goto: "fix" },
          ],
        },
        {
          name: "fix",
          instructions: `${fix} Fix.`,
          input: [{ has: "findings" }],
          next: [{ goto: "review" }],
        },
      ],
    });
    const sessionId = await createSession(owner, { repo });
    const run = await finishedRun(
      owner,
      sessionId,
      (await startRun(owner, sessionId, "review-loop", "Add parsing.")).id,
    );
    expect(run.status, run.reason ?? "").toBe("completed");
    expect(steps(run)).toEqual([
      "implement#1:completed",
      "review#1:completed",
      "fix#1:completed",
      "review#2:completed",
    ]);
    expect(run.steps[3]!.handoff?.verdict).toBe("approved");

    // The reviewer's note persists for later runs, beside a person's feedback.
    const notesUrl = `/api/repositories/${repo}/pipelines/review-loop/roles/review/notes`;
    const feedback = await owner.api(notesUrl, { body: { text: "Also check the docs." } });
    expect(feedback.status).toBe(201);
    const notes = ((await (await owner.api(notesUrl)).json()) as { notes: RoleNoteView[] }).notes;
    expect(notes.map((n) => [n.source, n.text])).toEqual([
      ["agent", "parse() lacks error handling; check it first next time."],
      ["person", "Also check the docs."],
    ]);
    // The reviewer's round 2 prompt carried its own note; the fixer's did not.
    const events = await eventsOf(owner, sessionId);
    const prompts = events.flatMap((e) => (e.type === "prompt.queued" ? [e.data.prompt.text] : []));
    expect(prompts[3]).toContain("parse() lacks error handling; check it first");
    expect(prompts[2]).not.toContain("check it first next time");
    expect(prompts[2]).toContain("parse() lacks error handling");
  });

  const host = JSON.parse(env.TEST_SANDBOX_HOST) as
    { url: string; repoDir: string; commits: string[] } | { unavailable: string };

  it.skipIf(!("url" in host))(
    "runs a pipeline defined in the repository, its contracts checked in the workspace",
    async () => {
      const demo = host as { repoDir: string; commits: string[] };
      const owner = await signUp();
      const repo = `acme-${crypto.randomUUID().slice(0, 8)}/demo`;
      await registerWithImage(owner, repo, demo.repoDir, demo.commits[0]!);
      const make = await scriptMarker("pipe", [
        tool("write_file", { path: "made.txt", content: "made\n" }),
        tool("handoff", { summary: "Made the file", fields: { file: "made.txt" } }),
        text("ok"),
      ]);
      const check = await scriptMarker("pipe", [
        tool("handoff", { summary: "It is there", verdict: "passed" }),
        text("ok"),
      ]);
      const definition = [
        "name: local",
        "roles:",
        "  - name: make",
        `    instructions: "${make} Make the file."`,
        "    output: [{ changes: true }, { has: file }]",
        "  - name: check",
        `    instructions: "${check} Check it."`,
        "    output: [{ command: [test, -f, made.txt] }, { verdict: [passed] }]",
        "",
      ].join("\n");
      const setup = await scriptMarker("pipe", [
        tool("write_file", { path: ".tandem/pipelines/local.yaml", content: definition }),
        text("Added the pipeline."),
      ]);
      const sessionId = await createSession(owner, { repo });
      await owner.api(`/api/sessions/${sessionId}/prompts`, {
        body: { clientId: "setup", text: `${setup} add a pipeline` },
      });
      await expect
        .poll(
          async () => (await eventsOf(owner, sessionId)).some((e) => e.type === "prompt.finished"),
          { timeout: 30_000 },
        )
        .toBe(true);
      const listed = (await (await owner.api(`/api/sessions/${sessionId}/pipelines`)).json()) as {
        pipelines: { name: string; source: string; roles: string[] }[];
      };
      expect(listed.pipelines).toContainEqual(
        expect.objectContaining({ name: "local", source: "repository", roles: ["make", "check"] }),
      );
      const run = await finishedRun(
        owner,
        sessionId,
        (await startRun(owner, sessionId, "local", "make it")).id,
      );
      expect(run.status, run.reason ?? "").toBe("completed");
      expect(steps(run)).toEqual(["make#1:completed", "check#1:completed"]);
    },
    60_000,
  );
});
