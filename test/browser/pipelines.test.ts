// Pipelines in the browser: a person starts a run from the session's pipelines panel, follows its
// roles to the end, reads the handoffs and a failed run's reason, and leaves feedback for a role.
import { expect, it, onTestFinished } from "vitest";
import type { SessionView } from "../../protocol/api.ts";
import { pageFor, screenshot, useBrowser } from "./support/browser.ts";
import { call, say } from "./support/team-panel.ts";
import { api, setScript, stopAgent, uniqueName } from "./support/stack.ts";

const browser = useBrowser();

/** A script answering one role's turn: hand over, then say so. */
async function roleScript(handoff: Record<string, unknown>): Promise<string> {
  const name = uniqueName("role");
  await setScript(name, { responses: [call("handoff", handoff), say("Handed over.")] });
  return `[script:${name}]`;
}

it("starts a run from the panel, shows its roles, handoffs and a failure, and takes feedback", async () => {
  const repo = `${uniqueName("acme")}/app`;
  await api("alice", "POST", "/api/repositories", {
    repo,
    cloneUrl: `https://example.invalid/${repo}.git`,
    warmPoolSize: 0,
  });
  const plan = await roleScript({ summary: "Planned", fields: { plan: "add a median function" } });
  const build = await roleScript({ summary: "Built it", fields: { files: "stats.py" } });
  const verify = await roleScript({ summary: "All good", verdict: "passed" });
  await api("alice", "PUT", `/api/repositories/${repo}/pipelines/ship`, {
    description: "Plan, build and verify a change.",
    roles: [
      { name: "plan", instructions: `${plan} Plan the work.`, output: [{ has: "plan" }] },
      { name: "build", instructions: `${build} Build it.`, input: [{ has: "plan" }] },
      { name: "verify", instructions: `${verify} Verify it.`, output: [{ verdict: ["passed"] }] },
    ],
  });
  const forgetful = await roleScript({ summary: "Done" });
  await api("alice", "PUT", `/api/repositories/${repo}/pipelines/strict`, {
    roles: [
      { name: "plan", instructions: `${forgetful} Plan.`, output: [{ has: "plan" }] },
      { name: "build", instructions: "Build." },
    ],
  });
  const title = uniqueName("Pipelines");
  const { session } = await api<{ session: SessionView }>("alice", "POST", "/api/sessions", {
    repo,
    title,
  });
  onTestFinished(() => stopAgent("alice", session.id));

  const alice = await pageFor(browser(), "alice");
  await alice.goto(`/sessions/${session.id}`);
  const panel = alice.locator("details.pipelines-panel");
  await panel.getByText("No pipeline has run in this session yet.").waitFor();

  // Start the pipeline that fails first, then the one that completes.
  const start = async (pipeline: string, request: string) => {
    const form = panel.locator("form.start-run");
    await form.getByLabel("Pipeline", { exact: true }).selectOption(pipeline);
    await form.getByLabel("Request", { exact: true }).fill(request);
    await form.getByRole("button", { name: "Start run" }).click();
    await panel.getByRole("article", { name: `Pipeline run ${pipeline}` }).waitFor();
  };
  await start("strict", "Plan without a plan.");
  const failed = panel.getByRole("article", { name: "Pipeline run strict" });
  await failed
    .getByRole("alert")
    .filter({ hasText: "The output contract of plan was not met" })
    .waitFor({ timeout: 30_000 });
  await failed.getByRole("listitem", { name: "plan: failed" }).waitFor();

  await panel.getByText("Run a pipeline").click();
  await start("ship", "Add a median to the stats module.");
  const run = panel.getByRole("article", { name: "Pipeline run ship" });
  await run.locator(".badge-run-completed").waitFor({ timeout: 30_000 });
  for (const role of ["plan", "build", "verify"])
    await run.getByRole("listitem", { name: `${role}: completed` }).waitFor();
  await run.locator(".step-handoff").filter({ hasText: "verify" }).locator("summary").click();
  await run.getByText("passed", { exact: true }).waitFor();
  await run.locator(".run-log > summary").click();
  expect(await run.locator(".handoff-entry").count()).toBe(6);

  // Feedback for a role: the person's note is listed, marked as theirs.
  await panel.getByText("Role feedback").click();
  const roles = panel.getByRole("region", { name: "Roles of ship" });
  await roles.locator(".role-feedback").filter({ hasText: "build" }).locator("summary").click();
  await roles.getByText("No notes yet.").waitFor();
  await roles.getByLabel("Feedback for build").fill("Keep the functions small.");
  await roles.getByRole("button", { name: "Add feedback" }).click();
  const note = roles.getByRole("list", { name: "Notes of build" }).getByRole("listitem");
  await note
    .filter({ hasText: "Keep the functions small." })
    .getByText("feedback · alice")
    .waitFor();
  await alice.evaluate(() => window.scrollTo(0, 0));
  await screenshot(alice, "pipelines-panel");
});
