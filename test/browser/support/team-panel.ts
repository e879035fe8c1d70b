// The team panel of the session screen as a person reads it, and the scripted answers that build
// a team.
import type { Locator, Page } from "playwright-core";
import type { ScriptInput } from "../../model-stand-in/script.ts";

type Response = ScriptInput["responses"][number];

/** A scripted answer that only says `text`. */
export const say = (text: string): Response => ({ content: [{ type: "text", text }] });

/** A scripted answer that calls one tool. */
export const call = (name: string, input: Record<string, unknown>): Response => ({
  content: [{ type: "tool_use", name, input }],
});

/** The team panel. */
export const teamPanel = (page: Page): Locator => page.locator("details.team-panel");

/** A session this one started, as the roster lists it. */
export const teammate = (page: Page, name: string): Locator =>
  teamPanel(page).getByRole("listitem", { name: `Teammate ${name}`, exact: true });

/** A message in a mailbox list of the panel. */
export const mailIn = (list: Locator, from: string, text: string): Locator =>
  list
    .getByRole("listitem", { name: `Message from ${from}`, exact: true })
    .filter({ hasText: text });
