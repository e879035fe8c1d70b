// Scripted model answers and timeline reads for integration tests of agents' work.
import { env } from "cloudflare:workers";
import { expect } from "vitest";
import type { SessionEvent } from "../../protocol/events.ts";
import type { ScriptInput } from "../model-stand-in/script.ts";
import { putModelScript } from "../support/model-script.ts";
import type { TestPerson } from "./helpers.ts";

let scripts = 0;

/** Gives the model stand-in a fresh script and returns its name. */
export async function scriptNamed(
  prefix: string,
  responses: ScriptInput["responses"],
): Promise<string> {
  const name = `${prefix}-${Date.now()}-${++scripts}`;
  const response = await putModelScript(env.ANTHROPIC_BASE_URL, name, { responses });
  expect(response.status).toBe(200);
  return name;
}

/** Gives the model stand-in a fresh script and returns the marker that selects it. */
export async function scriptMarker(
  prefix: string,
  responses: ScriptInput["responses"],
): Promise<string> {
  return `[script:${await scriptNamed(prefix, responses)}]`;
}

/** A scripted answer of plain text. */
export const text = (value: string) => ({ content: [{ type: "text" as const, text: value }] });

/** A scripted answer that calls one tool. */
export const tool = (name: string, input: Record<string, unknown>) => ({
  content: [{ type: "tool_use" as const, name, input }],
});

/** The session's whole timeline as `person` reads it. */
export async function eventsOf(person: TestPerson, sessionId: string): Promise<SessionEvent[]> {
  const response = await person.api(`/api/sessions/${sessionId}/events?limit=1000`);
  expect(response.status).toBe(200);
  return ((await response.json()) as { events: SessionEvent[] }).events;
}
