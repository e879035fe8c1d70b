// What every answer to hostile input must look like: a success, or a typed 4xx error body.
import { ERROR_CODES, ErrorBodySchema } from "../../protocol/errors.ts";

/** What a request was, for failure messages. */
export type Sent = { method: string; path: string; note?: string };

/**
 * Fails unless the response is below 500 and, when it is an error, carries
 * `{ error: { code, message } }` with the status its code is registered at. A WebSocket
 * upgrade that was accepted is closed again.
 */
export async function expectTypedAnswer(response: Response, sent: Sent): Promise<void> {
  const where = `${sent.method} ${sent.path.slice(0, 200)}${sent.note ? ` (${sent.note})` : ""}`;
  if (response.webSocket) {
    response.webSocket.accept();
    response.webSocket.close(1000, "fuzz");
    return;
  }
  const text = await response.text();
  if (response.status >= 500)
    throw new Error(`${where} answered ${response.status}: ${text.slice(0, 500)}`);
  if (response.status < 400 || sent.method === "HEAD") return;
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new Error(`${where} answered ${response.status} without JSON: ${text.slice(0, 200)}`);
  }
  const parsed = ErrorBodySchema.safeParse(body);
  if (!parsed.success)
    throw new Error(`${where} answered ${response.status} with an untyped body: ${text.slice(0, 300)}`);
  const registered = ERROR_CODES[parsed.data.error.code].status;
  if (registered !== response.status)
    throw new Error(
      `${where} answered ${response.status} for code ${parsed.data.error.code} (registered at ${registered})`,
    );
  if (parsed.data.error.message.length === 0) throw new Error(`${where} gave an empty message`);
}
