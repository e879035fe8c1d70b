// The session screen on a phone: nothing wider than the screen, and the composer and the
// conversation work by touch.
import type { Page } from "playwright-core";
import { expect, it, onTestFinished } from "vitest";
import { pageFor, screenshot, useBrowser } from "./support/browser.ts";
import { composer, promptCard, promptState, turn, turnText } from "./support/session-page.ts";
import {
  api,
  createSession,
  createShareLink,
  setScript,
  stopAgent,
  uniqueName,
} from "./support/stack.ts";

const PHONE = {
  viewport: { width: 375, height: 812 },
  deviceScaleFactor: 2,
  isMobile: true,
  hasTouch: true,
};

/** An answer with the shapes that tend to overflow a narrow screen: code, long paths, lists. */
const ANSWER = [
  "## What changed",
  "",
  "The retry loop in `packages/server/src/session/reconnect/backoff-with-jitter.ts` now caps",
  "its delay, and the tests cover the cap:",
  "",
  "- `MAX_RETRY_MS` is read once, at start-up",
  "- a delay above the cap is clamped rather than dropped",
  "",
  "```ts",
  "export const delayMs = (failures: number) => Math.min(MAX_RETRY_MS, FIRST_RETRY_MS * 2 ** (failures - 1));",
  "```",
  "",
  "Run `npm test -- --project unit` to check it.",
].join("\n");

const browser = useBrowser();

/** Whether anything makes the page scroll sideways on a 375 px wide screen. */
const scrollWidth = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth);

it("fits a 375 px phone screen and takes a prompt by touch", async () => {
  const script = uniqueName("mobile");
  await setScript(script, { responses: [{ content: [{ type: "text", text: ANSWER }] }] });
  const title = uniqueName("Cap the reconnect delay");
  const sessionId = await createSession("alice", title);
  onTestFinished(() => stopAgent("alice", sessionId));
  // Someone else is in the session too, so the screen shows more than one person.
  const link = await createShareLink("alice", sessionId, "collaborator");
  await api("bob", "POST", `/api/sessions/${sessionId}/join`, {
    token: decodeURIComponent(new URL(link).hash.slice(1)),
  });

  const alice = await pageFor(browser(), "alice", { context: PHONE });
  await alice.goto(`/sessions/${sessionId}`);
  await alice.getByRole("heading", { name: title, level: 1 }).waitFor();
  expect(await scrollWidth(alice)).toBeLessThanOrEqual(375);

  const box = composer(alice);
  await box.tap();
  const prompt = `Cap the reconnect delay at fifteen seconds [script:${script}]`;
  await box.fill(prompt);
  await alice.getByRole("button", { name: "Send", exact: true }).tap();

  await promptState(promptCard(alice, "alice", prompt))
    .getByText("done")
    .waitFor({
      timeout: 30_000,
    });
  const answer = turnText(turn(alice, "alice’s prompt “Cap the reconnect delay"));
  await answer.getByRole("heading", { name: "What changed" }).waitFor();
  await answer.locator("pre").waitFor();
  expect(await box.inputValue()).toBe("");

  // Nothing on the page is wider than the screen, the long code line included.
  expect(await scrollWidth(alice)).toBeLessThanOrEqual(375);
  for (const part of [box, answer, alice.getByRole("button", { name: "Send", exact: true })]) {
    const rect = await part.boundingBox();
    expect(rect).not.toBeNull();
    expect(rect!.x).toBeGreaterThanOrEqual(0);
    expect(rect!.x + rect!.width).toBeLessThanOrEqual(375);
  }
  // The composer is where a thumb can reach it after the answer, and it takes the next prompt.
  await box.scrollIntoViewIfNeeded();
  await box.tap();
  await box.fill("Thanks, that is all.");
  expect(await alice.getByRole("button", { name: "Send", exact: true }).isEnabled()).toBe(true);
  await screenshot(alice, "mobile-session");
  await screenshot(alice, "mobile-session-full", { fullPage: true });
});
