// Calls to a local platform a test started itself (rather than the shared one the e2e tier seeds).
import type { SessionEvent } from "../../protocol/events.ts";

/** The API of the platform at `url()` as the person whose token `token()` gives. */
export function platformApi(url: () => string, token: () => string) {
  const api = async <T>(path: string, body?: unknown, method?: string): Promise<T> => {
    const response = await fetch(`${url()}${path}`, {
      method: method ?? (body === undefined ? "GET" : "POST"),
      headers: { authorization: `Bearer ${token()}`, "content-type": "application/json" },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    if (!response.ok)
      throw new Error(`${path} answered ${response.status}: ${await response.text()}`);
    return (await response.json()) as T;
  };
  const events = async (sessionId: string) =>
    (await api<{ events: SessionEvent[] }>(`/api/sessions/${sessionId}/events?limit=1000`)).events;
  return { api, events };
}
