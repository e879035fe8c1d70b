// A dropped connection in the browser: the app says it is reconnecting, and once back it shows
// exactly what someone who stayed connected saw: the same events and text, nothing missing or twice.
import { expect, it, onTestFinished } from "vitest";
import { describeEvent } from "../../web/src/session/describe-event.ts";
import { pageFor, screenshot, useBrowser } from "./support/browser.ts";
import { startNetworkCut } from "./support/network-cut.ts";
import {
  composer,
  promptCard,
  promptState,
  sendPrompt,
  timelineEntries,
  turn,
  turnText,
  waitForPartialText,
} from "./support/session-page.ts";
import {
  createSession,
  createShareLink,
  platformUrl,
  sessionEvents,
  setScript,
  stopAgent,
  uniqueName,
} from "./support/stack.ts";

/** Streams for several seconds at the pacing below, so the cut falls in the middle of it. */
const ANSWER = [
  "Here is the plan for the migration.",
  "",
  "1. Add the new column with a default, so existing rows stay valid.",
  "2. Backfill it in batches of a thousand rows, committing after each batch.",
  "3. Switch the readers to the new column behind a flag.",
  "4. Drop the old column once a full day has passed without reads of it.",
  "",
  "Each step can be rolled back on its own, and none of them locks the table for long.",
].join("\n");

const browser = useBrowser();

it("recovers a connection dropped mid-answer with nothing missing and nothing twice", async () => {
  const script = uniqueName("reconnect");
  await setScript(script, {
    responses: [{ content: [{ type: "text", text: ANSWER }], pacing: { chunkDelayMs: 30 } }],
  });
  const title = uniqueName("Migration plan");
  const sessionId = await createSession("alice", title);
  onTestFinished(() => stopAgent("alice", sessionId));
  const link = await createShareLink("alice", sessionId, "collaborator");

  // Everything bob's browser sends goes through a proxy the test can cut.
  const network = await startNetworkCut(platformUrl());
  onTestFinished(() => network.stop());
  const alice = await pageFor(browser(), "alice");
  const bob = await pageFor(browser(), "bob", { context: { proxy: { server: network.server } } });
  await alice.goto(`/sessions/${sessionId}`);
  await bob.goto(link);
  await bob.getByRole("heading", { name: title, level: 1 }).waitFor();
  await composer(bob).waitFor();

  const prompt = `Plan the column migration [script:${script}]`;
  await sendPrompt(alice, prompt);
  await waitForPartialText(bob, ".turn .turn-text", ANSWER, 20_000);

  // Bob's network goes away: the open socket is reset and nothing new gets through.
  await bob.context().setOffline(true);
  network.cut();
  await bob.getByRole("status").filter({ hasText: "Offline — reconnecting…" }).waitFor();
  await bob.getByText("Offline: prompts are sent once reconnected.").waitFor();
  await screenshot(bob, "session-reconnecting");
  // The answer goes on without him.
  const frozen = (await bob.locator(".turn .turn-text").textContent()) ?? "";
  await alice.waitForFunction(
    (seen) => (document.querySelector(".turn .turn-text")?.textContent?.length ?? 0) > seen + 40,
    frozen.length,
    { timeout: 20_000 },
  );
  expect(await bob.locator(".turn .turn-text").textContent()).toBe(frozen);

  await bob.context().setOffline(false);
  network.restore();
  await bob
    .getByRole("status")
    .filter({ hasText: "Offline — reconnecting…" })
    .waitFor({ state: "hidden", timeout: 30_000 });

  // Both end with the whole answer, once, and the same timeline entry for entry.
  for (const page of [alice, bob]) {
    await promptState(promptCard(page, "alice", prompt))
      .getByText("done")
      .waitFor({
        timeout: 30_000,
      });
    await page.getByText("The agent finished alice’s prompt").waitFor();
  }
  const bobTurn = turn(bob, "alice’s prompt “Plan the column migration");
  const aliceTurn = turn(alice, "alice’s prompt “Plan the column migration");
  expect(await bobTurn.count()).toBe(1);
  expect(await turnText(bobTurn).count()).toBe(1);
  expect(await turnText(bobTurn).innerText()).toBe(await turnText(aliceTurn).innerText());
  const shownText = await turnText(bobTurn).innerText();
  const lines = ANSWER.split("\n")
    .filter(Boolean)
    .map((line) => line.replace(/^\d+\. /, ""));
  for (const line of lines) expect(shownText.split(line)).toHaveLength(2);
  const bobEntries = await timelineEntries(bob);
  expect(bobEntries).toEqual(await timelineEntries(alice));
  expect(new Set(bobEntries).size).toBe(bobEntries.length);

  // The timeline holds one entry per event the session has, a turn's events sharing one entry.
  const events = await sessionEvents("alice", sessionId);
  const entries = events.map((event) => describeEvent(event, {}));
  const turns = new Set(
    entries.flatMap((entry) => (entry.kind === "turn" ? [entry.messageId] : [])),
  );
  expect(turns.size).toBe(1);
  expect(bobEntries).toHaveLength(entries.filter((entry) => entry.kind !== "turn").length + 1);
  expect(events.filter((event) => event.type === "agent.text")).toHaveLength(1);
});
