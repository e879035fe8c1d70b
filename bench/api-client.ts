// The few HTTP calls the benchmarks make: create a session, share it, join it.
import type { SessionView } from "../protocol/api.ts";

async function call<T>(
  baseUrl: string,
  token: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<T> {
  const response = await fetch(`${baseUrl}${path}`, {
    method,
    headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  if (!response.ok) {
    throw new Error(`${method} ${path} answered ${response.status}: ${text.slice(0, 300)}`);
  }
  return JSON.parse(text) as T;
}

/** Creates a session owned by the token's user and returns its id. */
export async function createSession(
  baseUrl: string,
  token: string,
  title: string,
): Promise<string> {
  const created = await call<{ session: SessionView }>(baseUrl, token, "POST", "/api/sessions", {
    repo: "bench/tandem",
    title,
  });
  return created.session.id;
}

/** Makes each guest a collaborator of the owner's session through one share link. */
export async function addCollaborators(
  baseUrl: string,
  sessionId: string,
  ownerToken: string,
  guestTokens: readonly string[],
): Promise<void> {
  const link = await call<{ token: string }>(
    baseUrl,
    ownerToken,
    "POST",
    `/api/sessions/${sessionId}/share-links`,
    {
      role: "collaborator",
    },
  );
  for (const guest of guestTokens) {
    await call(baseUrl, guest, "POST", `/api/sessions/${sessionId}/join`, { token: link.token });
  }
}
