// Stopping the agent from the browser: the held turn ends as stopped and the next prompt runs.
import { expect, it, onTestFinished } from "vitest";
import { pageFor, useBrowser } from "./support/browser.ts";
import { promptCard, promptState, sendPrompt, turn, turnText } from "./support/session-page.ts";
import {
  createSession,
  recordedRequests,
  setScript,
  stopAgent,
  uniqueName,
} from "./support/stack.ts";

const browser = useBrowser();

it("stops a held turn with the stop button, marks its prompt stopped and runs the next one", async () => {
  const script = uniqueName("stop");
  const answer = { content: [{ type: "text" as const, text: "Picked up the next prompt." }] };
  // The stand-in answers from the first marker in the whole conversation, so both prompts reach
  // this script: its first request never gets an answer (only stopping ends that turn), and the
  // next prompt's request, whether or not the stopped turn left a message behind, is answered.
  await setScript(script, {
    responses: [{ ...answer, faults: [{ kind: "hang" }] }, answer],
  });
  const title = uniqueName("Stop and go on");
  const sessionId = await createSession("alice", title);
  onTestFinished(() => stopAgent("alice", sessionId));

  const alice = await pageFor(browser(), "alice");
  await alice.goto(`/sessions/${sessionId}`);
  await alice.getByRole("heading", { name: title, level: 1 }).waitFor();

  const first = `Take your time on this [script:${script}]`;
  const second = "Then do this";
  await sendPrompt(alice, first);
  await promptState(promptCard(alice, "alice", first))
    .getByText("running")
    .waitFor();
  await expect
    .poll(async () => (await recordedRequests(script)).length, { timeout: 15_000 })
    .toBe(1);
  await sendPrompt(alice, second);
  await promptState(promptCard(alice, "alice", second))
    .getByText("queued")
    .waitFor();

  await alice.getByRole("button", { name: /^Stop the agent working on “Take your time/ }).click();

  await promptState(promptCard(alice, "alice", first))
    .getByText("stopped")
    .waitFor();
  await alice.getByText("alice asked the agent to stop").waitFor();
  await alice.getByText("The agent stopped working on alice’s prompt “Take your time").waitFor();
  // The next prompt in the queue runs to the end.
  await promptState(promptCard(alice, "alice", second))
    .getByText("done")
    .waitFor();
  const nextTurn = turn(alice, "alice’s prompt “Then do this");
  expect((await turnText(nextTurn).innerText()).trim()).toBe("Picked up the next prompt.");
  // Stopping closed the model request the held turn waited on; the next turn made its own.
  const requests = await recordedRequests(script);
  expect(requests.map((request) => [request.fault, request.clientClosed])).toEqual([
    ["hang", true],
    [null, false],
  ]);
  expect(await alice.getByRole("button", { name: /^Stop the agent/ }).count()).toBe(0);
});
