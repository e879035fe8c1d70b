// The platform and the model stand-in as the browser tests reach them: API calls as a person, scripts in.
import { randomBytes } from "node:crypto";
import { inject } from "vitest";
import type { SessionView } from "../../../protocol/api.ts";
import type { SessionEvent, ShareRole } from "../../../protocol/events.ts";
import type { RecordedRequest } from "../../model-stand-in/recorder.ts";
import type { ScriptInput } from "../../model-stand-in/script.ts";
import { putModelScript } from "../../support/model-script.ts";

/** The seeded people. */
export type Who = "alice" | "bob" | "carol";

/** The platform's base URL. */
export const platformUrl = (): string => inject("browserStack").platformUrl;

/** A person's personal API token. */
export const tokenOf = (who: Who): string => inject("browserStack").tokens[who];

/** A name no other test uses, for scripts and session titles. */
export function uniqueName(prefix: string): string {
  return `${prefix}-${randomBytes(4).toString("hex")}`;
}

/** Calls the platform's API as `who`; throws with the answer unless it succeeds. */
export async function api<T>(who: Who, method: string, path: string, body?: unknown): Promise<T> {
  const response = await fetch(`${platformUrl()}${path}`, {
    method,
    headers: { Authorization: `Bearer ${tokenOf(who)}`, "Content-Type": "application/json" },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    signal: AbortSignal.timeout(10_000),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${path} answered ${response.status}: ${text}`);
  return (text ? JSON.parse(text) : undefined) as T;
}

/** Creates a session owned by `who` and returns its id. */
export async function createSession(who: Who, title: string): Promise<string> {
  const created = await api<{ session: SessionView }>(who, "POST", "/api/sessions", {
    repo: "acme/widgets",
    title,
  });
  return created.session.id;
}

/** Creates a share link as the owner and returns the URL a person opens. */
export async function createShareLink(
  owner: Who,
  sessionId: string,
  role: ShareRole,
): Promise<string> {
  const created = await api<{ url: string }>(
    owner,
    "POST",
    `/api/sessions/${sessionId}/share-links`,
    {
      role,
    },
  );
  return created.url;
}

/** Every event of the session, oldest first. */
export async function sessionEvents(who: Who, sessionId: string): Promise<SessionEvent[]> {
  const page = await api<{ events: SessionEvent[] }>(
    who,
    "GET",
    `/api/sessions/${sessionId}/events?limit=1000`,
  );
  return page.events;
}

/** Stops whatever the agent is doing in the session, so no turn outlives its test. */
export async function stopAgent(owner: Who, sessionId: string): Promise<void> {
  await api(owner, "POST", `/api/sessions/${sessionId}/stop`).catch(() => undefined);
}

/** Gives the stand-in a script, picked by a `[script:NAME]` marker in a prompt. */
export async function setScript(name: string, script: ScriptInput): Promise<void> {
  const response = await putModelScript(inject("browserStack").standInUrl, name, script);
  if (!response.ok)
    throw new Error(`the stand-in refused script ${name}: ${await response.text()}`);
}

/** The requests the stand-in has had for `script`, oldest first. */
export async function recordedRequests(script: string): Promise<RecordedRequest[]> {
  const response = await fetch(
    `${inject("browserStack").standInUrl}/_stand-in/requests?script=${encodeURIComponent(script)}`,
    { signal: AbortSignal.timeout(5_000) },
  );
  return ((await response.json()) as { requests: RecordedRequest[] }).requests;
}
