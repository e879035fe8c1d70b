// Our stream handling over real recorded Anthropic streams (the fixtures shipped with
// @ai-sdk/anthropic 3.0.21), served byte for byte by the model stand-in to the real SDK.
import { readdir, readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startModelStandIn, type ModelStandIn } from "../test/model-stand-in/server.ts";
import { anthropicCaller, classifyError, retryDelay } from "./model.ts";

const fixtures = join(
  dirname(createRequire(import.meta.url).resolve("@ai-sdk/anthropic/package.json")),
  "src/__fixtures__",
);

interface RecordedEvent {
  type: string;
  index?: number;
  content_block?: { type: string };
  delta?: { type: string; text?: string; partial_json?: string };
}

/** The fixtures whose blocks are all text and client tool uses (what our agent asks for). */
async function clientToolFixtures(): Promise<{ name: string; events: RecordedEvent[] }[]> {
  const names = (await readdir(fixtures)).filter((name) => name.endsWith(".chunks.txt"));
  const all = await Promise.all(
    names.map(async (name) => ({
      name,
      events: (await readFile(join(fixtures, name), "utf8"))
        .split("\n")
        .filter((line) => line.trim())
        .map((line) => JSON.parse(line) as RecordedEvent),
    })),
  );
  return all.filter(({ events }) =>
    events.every(
      (e) =>
        e.type !== "content_block_start" ||
        e.content_block?.type === "text" ||
        e.content_block?.type === "tool_use",
    ),
  );
}

const sseOf = (events: RecordedEvent[]) =>
  events.map((e) => `event: ${e.type}\ndata: ${JSON.stringify(e)}\n\n`).join("");

describe("stream handling over recorded Anthropic streams", () => {
  let standIn: ModelStandIn;
  beforeAll(async () => {
    standIn = await startModelStandIn({ seed: 3 });
  });
  afterAll(() => standIn?.stop());

  it("finds recorded streams with text and tool use to replay", async () => {
    const found = await clientToolFixtures();
    expect(found.length).toBeGreaterThanOrEqual(3);
    expect(
      found.some(({ events }) => events.some((e) => e.delta?.type === "input_json_delta")),
    ).toBe(true);
  });

  it("hands out every text delta and complete block exactly as recorded", async () => {
    const caller = anthropicCaller({ apiKey: "test", baseURL: standIn.url });
    for (const [i, { name, events }] of (await clientToolFixtures()).entries()) {
      const script = `replay-${i}`;
      standIn.setScript(script, { responses: [{ kind: "raw", sse: sseOf(events) }] });
      const texts = new Map<number, string>();
      const blocks = new Map<number, unknown>();
      const message = await caller.call(
        {
          model: "claude-sonnet-5-5",
          max_tokens: 1024,
          messages: [{ role: "user", content: `replay [script:${script}]` }],
        },
        {
          onText: (index, text) => texts.set(index, (texts.get(index) ?? "") + text),
          onBlock: (index, block) => blocks.set(index, block),
        },
        new AbortController().signal,
      );
      // What the recording says each block holds.
      const expectedText = new Map<number, string>();
      const expectedJson = new Map<number, string>();
      for (const e of events) {
        if (e.type !== "content_block_delta" || e.index === undefined) continue;
        if (e.delta?.type === "text_delta")
          expectedText.set(e.index, (expectedText.get(e.index) ?? "") + e.delta.text);
        if (e.delta?.type === "input_json_delta")
          expectedJson.set(e.index, (expectedJson.get(e.index) ?? "") + e.delta.partial_json);
      }
      expect(texts, name).toEqual(expectedText);
      expect(blocks.size, name).toBe(message.content.length);
      message.content.forEach((block, index) => {
        expect(blocks.get(index), name).toEqual(block);
        if (block.type === "text") expect(block.text, name).toBe(expectedText.get(index) ?? "");
        if (block.type === "tool_use") {
          const json = expectedJson.get(index) ?? "";
          expect(block.input, name).toEqual(json ? JSON.parse(json) : {});
        }
      });
      expect(message.usage.output_tokens, name).toBeGreaterThan(0);
    }
  });
});

describe("retry decisions", () => {
  it("waits what retry-after asks, else backs off exponentially with jitter", () => {
    const policy = { maxAttempts: 5, baseDelayMs: 1000, maxDelayMs: 8000 };
    const overloaded = { retryable: true, reason: "x", retryAfterMs: null };
    expect(retryDelay(policy, 1, { ...overloaded, retryAfterMs: 2500 })).toBe(2500);
    expect(retryDelay(policy, 1, overloaded, () => 0)).toBe(500);
    expect(retryDelay(policy, 3, overloaded, () => 1)).toBe(4000);
    expect(retryDelay(policy, 10, overloaded, () => 1)).toBe(8000);
  });

  it("treats a plain connection error as retryable and anything else as final", () => {
    expect(classifyError(new TypeError("terminated")).retryable).toBe(true);
    expect(classifyError(new Error("JSON syntax")).retryable).toBe(false);
  });
});
