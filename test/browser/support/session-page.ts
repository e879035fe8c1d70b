// The session screen as a person reads it: the composer, prompt cards, the agent's turns, the queue.
import type { Locator, Page } from "playwright-core";

/** The composer's text box. */
export const composer = (page: Page): Locator => page.getByLabel("Prompt for the agent");

/** Types `text` into the composer and presses Send. */
export async function sendPrompt(page: Page, text: string): Promise<void> {
  await composer(page).fill(text);
  await page.getByRole("button", { name: "Send", exact: true }).click();
}

/** The prompt card of `author`'s prompt `text` in the timeline. */
export function promptCard(page: Page, author: string, text: string): Locator {
  return page
    .getByRole("article", { name: `Prompt from ${author}`, exact: true })
    .filter({ has: page.getByText(text, { exact: true }) });
}

/** The state badge (queued, running, done, stopped…) of a prompt card. */
export const promptState = (card: Locator): Locator => card.locator(".badge-state");

/** The agent's turn on the prompt whose text starts with `promptStart`. */
export function turn(page: Page, promptStart: string): Locator {
  return page.getByRole("article", { name: `The agent’s work on ${promptStart}` });
}

/** The agent's text in a turn, as shown. */
export const turnText = (turnView: Locator): Locator => turnView.locator(".turn-text");

/**
 * Waits until the element `selector` shows some, but not yet all, of `full` (the agent's answer
 * part-way through streaming) and returns what it showed. Whitespace is left out of the
 * comparison, since rendered markdown does not keep the source's line breaks.
 */
export async function waitForPartialText(
  page: Page,
  selector: string,
  full: string,
  timeoutMs: number,
): Promise<string> {
  const handle = await page.waitForFunction(
    ({ selector, full }) => {
      const squeeze = (text: string) => text.replace(/\s+/g, "");
      const shown = document.querySelector(selector)?.textContent ?? "";
      const length = squeeze(shown).length;
      return length > 0 && length < squeeze(full).length ? shown : false;
    },
    { selector, full },
    { timeout: timeoutMs, polling: "raf" },
  );
  return (await handle.jsonValue()) as string;
}

/**
 * Each timeline entry's text as this person sees it, minus the "(you)" that marks their own
 * prompts, so two people's timelines compare equal when they show the same events.
 */
export function timelineEntries(page: Page): Promise<string[]> {
  return page
    .locator("ol.timeline > li")
    .evaluateAll((items) =>
      items.map((item) => (item as HTMLElement).innerText.replace(/\n\(you\)\n/g, "\n").trim()),
    );
}
