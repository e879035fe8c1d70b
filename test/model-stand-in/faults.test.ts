// Refusals and scripted faults reach the real SDK as the real API's would: statuses with
// Anthropic's error JSON and retry headers, error events mid-stream, cut connections, silence.
import Anthropic, { type APIError } from "@anthropic-ai/sdk";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startModelStandIn, type ModelStandIn } from "./server.ts";

let standIn: ModelStandIn;
beforeAll(async () => {
  standIn = await startModelStandIn({ seed: 9 });
});
afterAll(() => standIn.stop());

const client = () => new Anthropic({ apiKey: "test", baseURL: standIn.url, maxRetries: 0 });
const ask = (text: string) => ({
  model: "claude-stand-in",
  max_tokens: 1024,
  messages: [{ role: "user" as const, content: text }],
});
const TWO_BLOCKS = [
  { type: "text" as const, text: "Looking at the files first." },
  { type: "tool_use" as const, name: "list_files", input: {} },
];

/** The error a call ends with. */
async function failure(call: Promise<unknown>): Promise<unknown> {
  return call.then(
    () => expect.unreachable("the call succeeded"),
    (error: unknown) => error,
  );
}

describe("refusals", () => {
  it("refuses a request without credentials with 401 and Anthropic's error JSON", async () => {
    // Explicitly omitting Authorization is the SDK's way to send no credential at all.
    const anonymous = new Anthropic({
      apiKey: null,
      authToken: null,
      baseURL: standIn.url,
      maxRetries: 0,
      defaultHeaders: { Authorization: null },
    });
    const error = await failure(anonymous.messages.create(ask("hi")));
    expect(error).toBeInstanceOf(Anthropic.AuthenticationError);
    expect((error as APIError).status).toBe(401);
    expect((error as APIError).error).toMatchObject({
      type: "error",
      error: { type: "authentication_error", message: expect.any(String) },
    });
  });

  it("accepts an x-api-key header as well as a bearer token", async () => {
    const response = await fetch(`${standIn.url}/v1/messages`, {
      method: "POST",
      headers: { "x-api-key": "any" },
      body: JSON.stringify(ask("hi")),
    });
    expect(response.status).toBe(200);
  });

  it("refuses an invalid body with 400 invalid_request_error naming the field", async () => {
    const error = await failure(client().messages.create({ ...ask("hi"), max_tokens: 0 }));
    expect(error).toBeInstanceOf(Anthropic.BadRequestError);
    expect((error as APIError).error).toMatchObject({
      error: { type: "invalid_request_error", message: expect.stringContaining("max_tokens") },
    });

    const unknownField = await fetch(`${standIn.url}/v1/messages`, {
      method: "POST",
      headers: { authorization: "Bearer test" },
      body: JSON.stringify({ ...ask("hi"), max_tokenz: 5 }),
    });
    expect(unknownField.status).toBe(400);
    const notJson = await fetch(`${standIn.url}/v1/messages`, {
      method: "POST",
      headers: { authorization: "Bearer test" },
      body: "{",
    });
    expect(await notJson.json()).toMatchObject({
      type: "error",
      error: { type: "invalid_request_error" },
    });
  });
});

describe("faults", () => {
  it("serves 529 overloaded with retry-after headers, surfaced by the SDK as an APIError", async () => {
    standIn.setScript("busy", {
      responses: [
        { content: TWO_BLOCKS, faults: [{ kind: "status", status: 529, retryAfterMs: 1500 }] },
      ],
    });
    const error = await failure(client().messages.stream(ask("[script:busy]")).finalMessage());
    expect(error).toBeInstanceOf(Anthropic.APIError);
    const apiError = error as APIError;
    expect(apiError.status).toBe(529);
    expect(apiError.headers?.get("retry-after")).toBe("2");
    expect(apiError.headers?.get("retry-after-ms")).toBe("1500");
    expect(apiError.error).toMatchObject({ type: "error", error: { type: "overloaded_error" } });
  });

  it("serves 429 as a rate_limit_error and 500 as an api_error", async () => {
    standIn.setScript("limits", {
      responses: [
        {
          content: TWO_BLOCKS,
          faults: [
            { kind: "status", status: 429 },
            { kind: "status", status: 500 },
          ],
        },
      ],
    });
    const limited = await failure(client().messages.create(ask("[script:limits]")));
    expect(limited).toBeInstanceOf(Anthropic.RateLimitError);
    expect((limited as APIError).error).toMatchObject({
      error: { type: "rate_limit_error" },
    });
    const broken = await failure(client().messages.create(ask("[script:limits]")));
    expect(broken).toBeInstanceOf(Anthropic.InternalServerError);
    expect((broken as APIError).error).toMatchObject({ error: { type: "api_error" } });
  });

  it("fails `times` attempts in a row, then serves the response", async () => {
    standIn.setScript("flaky", {
      responses: [
        {
          content: TWO_BLOCKS,
          faults: [
            { kind: "status", status: 529, times: 2 },
            { kind: "drop", afterBytes: 40 },
          ],
        },
      ],
    });
    const outcomes: string[] = [];
    for (let attempt = 0; attempt < 4; attempt++) {
      try {
        await client().messages.stream(ask("[script:flaky]")).finalMessage();
        outcomes.push("ok");
      } catch (error) {
        outcomes.push(
          error instanceof Anthropic.APIError && error.status ? String(error.status) : "dropped",
        );
      }
    }
    expect(outcomes).toEqual(["529", "529", "dropped", "ok"]);
    expect(standIn.requests("flaky").map((entry) => [entry.attempt, entry.fault])).toEqual([
      [1, "status"],
      [2, "status"],
      [3, "drop"],
      [4, null],
    ]);
  });

  it("breaks a stream off with an overloaded error event after the scripted blocks", async () => {
    standIn.setScript("midway", {
      responses: [{ content: TWO_BLOCKS, faults: [{ kind: "error_event", afterBlocks: 1 }] }],
    });
    const stream = client().messages.stream(ask("[script:midway]"));
    let streamed = "";
    stream.on("text", (delta) => (streamed += delta));
    const error = await failure(stream.finalMessage());
    expect(error).toBeInstanceOf(Anthropic.APIError);
    expect((error as APIError).status).toBeUndefined();
    expect((error as APIError).error).toMatchObject({
      type: "error",
      error: { type: "overloaded_error" },
    });
    expect(streamed).toBe("Looking at the files first.");
  });

  it("cuts the connection mid-stream, and mid-body of a JSON answer", async () => {
    standIn.setScript("cut", {
      responses: [{ content: TWO_BLOCKS, faults: [{ kind: "drop", times: 2 }] }],
    });
    const streamed = await failure(client().messages.stream(ask("[script:cut]")).finalMessage());
    expect((streamed as Error).message).toMatch(/terminated/);
    const whole = await failure(client().messages.create(ask("[script:cut]")));
    expect((whole as Error).message).toMatch(/terminated/);
    expect(standIn.requests("cut")).toMatchObject([
      { fault: "drop", status: 200, clientClosed: false },
      { fault: "drop", status: 200, clientClosed: false },
    ]);
  });

  it("stays silent until the client gives up", async () => {
    standIn.setScript("silent", {
      responses: [{ content: TWO_BLOCKS, faults: [{ kind: "hang" }] }],
    });
    const error = await failure(
      client()
        .messages.stream(ask("[script:silent]"), { signal: AbortSignal.timeout(200) })
        .finalMessage(),
    );
    expect(error).toBeInstanceOf(Anthropic.APIUserAbortError);
    await expect.poll(() => standIn.requests("silent")[0]?.clientClosed).toBe(true);
    expect(standIn.requests("silent")[0]).toMatchObject({ fault: "hang", status: null });
  });
});
