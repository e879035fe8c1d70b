// The stand-in speaks the Messages API: the real SDK, over fetch and HTTP, gets back exactly what
// was scripted, however the bytes were cut.
import Anthropic from "@anthropic-ai/sdk";
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startModelStandIn, type ModelStandIn } from "./server.ts";

const TEXT = 'Grüße — naïve café 👋🏽 日本語のテキスト, and "quotes" \\ back\nslash.\n';
const INPUT = {
  path: "dir/ä ö.py",
  old_string: "def f():\n\treturn '✓'",
  lines: [1, 2, { deep: "日本" }],
  empty: {},
};

const client = (url: string) => new Anthropic({ apiKey: "test", baseURL: url, maxRetries: 0 });
const ask = (text: string) => ({
  model: "claude-stand-in",
  max_tokens: 1024,
  messages: [{ role: "user" as const, content: text }],
});

describe("streaming through the real SDK", () => {
  for (const seed of [1, 2, 3, 17, 4242]) {
    it(`delivers text and tool input intact whatever the cuts (seed ${seed})`, async () => {
      const standIn = await startModelStandIn({ seed });
      try {
        standIn.setScript("mixed", {
          responses: [
            {
              content: [
                { type: "text", text: TEXT.repeat(4) },
                { type: "tool_use", name: "edit_file", input: INPUT },
              ],
            },
          ],
        });
        const stream = client(standIn.url).messages.stream(ask("[script:mixed] go"));
        let streamed = "";
        stream.on("text", (delta) => (streamed += delta));
        const message = await stream.finalMessage();

        expect(streamed).toBe(TEXT.repeat(4));
        expect(message.content).toEqual([
          { type: "text", text: TEXT.repeat(4) },
          {
            type: "tool_use",
            id: expect.stringMatching(/^toolu_/),
            name: "edit_file",
            input: INPUT,
          },
        ]);
        expect(message.stop_reason).toBe("tool_use");
        expect(message.model).toBe("claude-stand-in");
        expect(message.usage.output_tokens).toBeGreaterThan(1);
      } finally {
        await standIn.stop();
      }
    });
  }
});

describe("answers", () => {
  let standIn: ModelStandIn;
  beforeAll(async () => {
    standIn = await startModelStandIn({ seed: 5 });
  });
  afterAll(() => standIn.stop());

  it("returns the whole message as JSON when the request does not stream", async () => {
    standIn.setScript("json", {
      responses: [
        {
          content: [{ type: "text", text: "plain ✓" }],
          usage: { input_tokens: 11, output_tokens: 3, cache_read_input_tokens: 7 },
        },
      ],
    });
    const message = await client(standIn.url).messages.create(ask("[script:json]"));
    expect(message.content).toEqual([{ type: "text", text: "plain ✓" }]);
    expect(message.stop_reason).toBe("end_turn");
    expect(message.usage).toMatchObject({
      input_tokens: 11,
      output_tokens: 3,
      cache_read_input_tokens: 7,
      cache_creation_input_tokens: 0,
    });
  });

  it("reports the scripted usage and stop reason in a stream", async () => {
    standIn.setScript("usage", {
      responses: [
        {
          content: [{ type: "text", text: "cut" }],
          stop_reason: "max_tokens",
          usage: { input_tokens: 900, output_tokens: 50 },
        },
      ],
    });
    const message = await client(standIn.url).messages.stream(ask("[script:usage]")).finalMessage();
    expect(message.stop_reason).toBe("max_tokens");
    expect(message.usage).toMatchObject({ input_tokens: 900, output_tokens: 50 });
  });

  it("numbers responses by the assistant messages in the request, across follow-up prompts", async () => {
    standIn.setScript("turns", {
      responses: [
        { content: [{ type: "tool_use", name: "list_files", input: {} }] },
        { content: [{ type: "text", text: "second" }] },
        { content: [{ type: "text", text: "third, for the follow-up" }] },
      ],
    });
    const sdk = client(standIn.url);
    const first = await sdk.messages.stream(ask("[script:turns] look")).finalMessage();
    const use = first.content[0] as Anthropic.ToolUseBlock;
    const history: Anthropic.MessageParam[] = [
      { role: "user", content: "[script:turns] look" },
      { role: "assistant", content: first.content as Anthropic.ContentBlockParam[] },
      { role: "user", content: [{ type: "tool_result", tool_use_id: use.id, content: "a.py" }] },
    ];
    const second = await sdk.messages.stream({ ...ask(""), messages: history }).finalMessage();
    expect(second.content).toEqual([{ type: "text", text: "second" }]);
    history.push({ role: "assistant", content: "second" }, { role: "user", content: "and now?" });
    const third = await sdk.messages.stream({ ...ask(""), messages: history }).finalMessage();
    expect(third.content).toEqual([{ type: "text", text: "third, for the follow-up" }]);
    expect(standIn.requests("turns").map((entry) => entry.responseIndex)).toEqual([0, 1, 2]);
  });

  it("says so in plain text when the script or the response is missing", async () => {
    standIn.setScript("short", { responses: [{ content: [{ type: "text", text: "only one" }] }] });
    const sdk = client(standIn.url);
    const unknown = await sdk.messages.stream(ask("[script:nowhere] hi")).finalMessage();
    expect(unknown.content).toEqual([
      { type: "text", text: 'The model stand-in has no script named "nowhere".' },
    ]);
    const beyond = await sdk.messages
      .stream({
        ...ask(""),
        messages: [
          { role: "user", content: "[script:short] hi" },
          { role: "assistant", content: "only one" },
          { role: "user", content: "more" },
        ],
      })
      .finalMessage();
    expect(beyond.content).toEqual([
      { type: "text", text: expect.stringContaining('"short" has no response 1') },
    ]);
  });

  it("answers a request without a marker plainly when rehearsal mode is off", async () => {
    const message = await client(standIn.url).messages.stream(ask("hello")).finalMessage();
    expect(message.stop_reason).toBe("end_turn");
    expect((message.content[0] as Anthropic.TextBlock).text).toContain("names no script");
  });

  it("replays a recorded Anthropic stream byte for byte", async () => {
    // A real recorded stream (tool use with an empty input, pings between blocks), one event per line.
    const require = createRequire(import.meta.url);
    const fixtures = join(
      dirname(require.resolve("@ai-sdk/anthropic/package.json")),
      "src/__fixtures__",
    );
    const lines = (await readFile(join(fixtures, "anthropic-tool-no-args.chunks.txt"), "utf8"))
      .trim()
      .split("\n");
    const sse = lines.map((line) => `event: ${JSON.parse(line).type}\ndata: ${line}\n\n`).join("");
    standIn.setScript("raw", { responses: [{ kind: "raw", sse }] });

    const message = await client(standIn.url).messages.stream(ask("[script:raw]")).finalMessage();
    expect(message.content).toEqual([
      { type: "text", text: "I'll update the issue list for you." },
      {
        type: "tool_use",
        id: "toolu_01QE1WLsSVp5hy5Q3GmGTmjP",
        name: "updateIssueList",
        input: {},
      },
    ]);
    expect(message.usage.output_tokens).toBe(48);
    const raw = await fetch(`${standIn.url}/v1/messages`, {
      method: "POST",
      headers: { "x-api-key": "test" },
      body: JSON.stringify({ ...ask("[script:raw]"), stream: true }),
    });
    expect(await raw.text()).toBe(sse);
  });

  it("holds back the first token for the scripted delay", async () => {
    standIn.setScript("slow", {
      responses: [
        {
          content: [{ type: "text", text: "finally" }],
          pacing: { firstTokenDelayMs: 150, chunkDelayMs: 2 },
        },
      ],
    });
    const stream = client(standIn.url).messages.stream(ask("[script:slow]"));
    const start = performance.now();
    await stream.withResponse();
    const headersAfterMs = performance.now() - start;
    await stream.finalMessage();
    const [entry] = standIn.requests("slow");
    expect(headersAfterMs).toBeLessThan(100);
    expect(entry!.firstTokenAt! - entry!.firstByteAt!).toBeGreaterThanOrEqual(145);
  });
});
