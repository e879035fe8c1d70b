// Oversize uploads against the running platform: refused with a typed error, and the server stays up.
import { describe, expect, it } from "vitest";
import { inject } from "vitest";

function chunkedBody(totalBytes: number, chunkBytes = 16 * 1024): ReadableStream<Uint8Array> {
  let sent = 0;
  return new ReadableStream({
    pull(controller) {
      if (sent >= totalBytes) return controller.close();
      controller.enqueue(new TextEncoder().encode("a".repeat(chunkBytes)));
      sent += chunkBytes;
    },
  });
}

/** Posts a new session as alice with the given body. */
function postSession(body: BodyInit, init: { duplex?: "half" } = {}): Promise<Response> {
  return fetch(`${inject("platformUrl")}/api/sessions`, {
    method: "POST",
    headers: {
      Authorization: `Bearer ${inject("tokens").alice}`,
      "Content-Type": "application/json",
    },
    body,
    ...init,
  } as RequestInit);
}

describe("request size limits on the running platform", () => {
  it("refuses a chunked upload over the limit and keeps serving", async () => {
    const url = inject("platformUrl");
    const response = await postSession(chunkedBody(1024 * 1024), { duplex: "half" });
    expect(response.status).toBe(413);
    expect(await response.json()).toMatchObject({ error: { code: "payload_too_large" } });
    for (let i = 0; i < 3; i++) {
      const health = await fetch(`${url}/api/health`);
      expect(health.status).toBe(200);
    }
  });

  it("refuses a declared oversize body before reading it", async () => {
    const url = inject("platformUrl");
    const response = await postSession("a".repeat(400 * 1024));
    expect(response.status).toBe(413);
    expect((await fetch(`${url}/api/health`)).status).toBe(200);
  });
});
