// The control API over HTTP: scripts in, recorded requests out, the log cleared.
import Anthropic from "@anthropic-ai/sdk";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RecordedRequest } from "./recorder.ts";
import { startModelStandIn, type ModelStandIn } from "./server.ts";

let standIn: ModelStandIn;
beforeAll(async () => {
  standIn = await startModelStandIn({ seed: 4 });
});
afterAll(() => standIn.stop());

const putScript = (name: string, body: unknown) =>
  fetch(`${standIn.url}/_stand-in/scripts/${name}`, { method: "PUT", body: JSON.stringify(body) });
const recorded = async (script?: string): Promise<RecordedRequest[]> => {
  const query = script === undefined ? "" : `?script=${encodeURIComponent(script)}`;
  const response = await fetch(`${standIn.url}/_stand-in/requests${query}`);
  return ((await response.json()) as { requests: RecordedRequest[] }).requests;
};
const sdk = () => new Anthropic({ apiKey: "secret-key", baseURL: standIn.url, maxRetries: 0 });
const ask = (text: string) => ({
  model: "claude-stand-in",
  max_tokens: 64,
  messages: [{ role: "user" as const, content: text }],
});

describe("control API", () => {
  it("takes a script over HTTP and serves it", async () => {
    const put = await putScript("over-http", {
      responses: [{ content: [{ type: "text", text: "from HTTP" }] }],
    });
    expect(put.status).toBe(200);
    expect(await put.json()).toEqual({ name: "over-http", responses: 1 });
    const message = await sdk().messages.stream(ask("[script:over-http]")).finalMessage();
    expect(message.content).toEqual([{ type: "text", text: "from HTTP" }]);
  });

  it("refuses an invalid script, saying where", async () => {
    const put = await putScript("bad", {
      responses: [{ content: [{ type: "tool_use", name: "x" }] }],
    });
    expect(put.status).toBe(400);
    expect(await put.json()).toMatchObject({
      error: {
        code: "invalid_input",
        message: expect.stringContaining("responses.0.content.0.input"),
      },
    });
    const badFault = await putScript("bad", {
      responses: [{ content: [], faults: [{ kind: "explode" }] }],
    });
    expect(badFault.status).toBe(400);
    expect(() =>
      standIn.setScript("bad", {
        responses: [{ content: [], faults: [{ kind: "status", status: 200 }] }],
      }),
    ).toThrow(/invalid script/);
  });

  it("records each request with its body, its headers without credentials, and its timing", async () => {
    await putScript("logged", {
      responses: [{ content: [{ type: "text", text: "a few words to stream" }] }],
    });
    const before = performance.timeOrigin + performance.now();
    await sdk().messages.stream(ask("[script:logged] first")).finalMessage();
    await sdk().messages.stream(ask("[script:logged] again")).finalMessage();
    const after = performance.timeOrigin + performance.now();

    const entries = await recorded("logged");
    expect(entries).toHaveLength(2);
    const [first, second] = entries as [RecordedRequest, RecordedRequest];
    expect(first.body).toMatchObject({
      model: "claude-stand-in",
      stream: true,
      messages: [{ role: "user", content: "[script:logged] first" }],
    });
    expect(first).toMatchObject({
      script: "logged",
      source: "script",
      responseIndex: 0,
      attempt: 1,
      fault: null,
      status: 200,
    });
    expect(second.attempt).toBe(2);
    expect(first.headers.authorization).toBe("[redacted]");
    expect(JSON.stringify(entries)).not.toContain("secret-key");
    expect(first.headers["anthropic-version"]).toEqual(expect.any(String));
    expect(first.receivedAt).toBeGreaterThanOrEqual(before);
    expect(first.firstByteAt!).toBeGreaterThanOrEqual(first.receivedAt);
    expect(first.firstTokenAt!).toBeGreaterThanOrEqual(first.firstByteAt!);
    expect(first.finishedAt!).toBeGreaterThanOrEqual(first.firstTokenAt!);
    expect(second.finishedAt!).toBeLessThanOrEqual(after);
    expect(Number.isInteger(first.receivedAt) && Number.isInteger(second.receivedAt)).toBe(false);
  });

  it("files refused requests under their script too", async () => {
    await fetch(`${standIn.url}/v1/messages`, {
      method: "POST",
      body: JSON.stringify(ask("[script:refused] hi")),
    });
    expect(await recorded("refused")).toMatchObject([
      { status: 401, source: null, script: "refused" },
    ]);
  });

  it("starts a script's attempts again when the script is replaced", async () => {
    const script = {
      responses: [
        { content: [{ type: "text", text: "ok" }], faults: [{ kind: "status", status: 529 }] },
      ],
    };
    await putScript("again", script);
    await expect(sdk().messages.create(ask("[script:again]"))).rejects.toMatchObject({
      status: 529,
    });
    await sdk().messages.create(ask("[script:again]"));
    await putScript("again", script);
    await expect(sdk().messages.create(ask("[script:again]"))).rejects.toMatchObject({
      status: 529,
    });
  });

  it("clears the log on DELETE", async () => {
    await sdk().messages.create(ask("[script:logged]"));
    expect((await recorded()).length).toBeGreaterThan(0);
    const cleared = await fetch(`${standIn.url}/_stand-in/requests`, { method: "DELETE" });
    expect(cleared.status).toBe(204);
    expect(await recorded()).toEqual([]);
    expect(standIn.requests()).toEqual([]);
  });

  it("answers unknown routes with 404", async () => {
    expect((await fetch(`${standIn.url}/v1/complete`, { method: "POST" })).status).toBe(404);
    expect((await fetch(`${standIn.url}/_stand-in/nothing`)).status).toBe(404);
  });
});
