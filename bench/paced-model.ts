// A Messages API server for load benchmarks: to a request carrying its marker it streams one
// answer of many small text blocks at a fixed rate, each block's text stamped with when it was
// written; anything else gets a one-line answer.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { performance } from "node:perf_hooks";
import { setTimeout as sleep } from "node:timers/promises";

/** How often the writer wakes to write the blocks that have come due. */
const TICK_MS = 5;

/** What to stream, and how fast. */
export interface PacedModelOptions {
  /** The text a request must contain to get the paced answer. */
  marker: string;
  blocks: number;
  blocksPerSecond: number;
}

/** A running paced server. */
export interface PacedModel {
  url: string;
  /** Blocks written so far by the current (or last) paced answer. */
  written(): number;
  /** Resolves with the writing time in ms once the paced answer is completely written. */
  readonly done: Promise<number>;
  stop(): Promise<void>;
}

/** Epoch ms with sub-ms precision, the clock block stamps use. */
export const preciseNow = () => performance.timeOrigin + performance.now();

/** The stamp in a block's text: its number and the moment it was written. */
export function parseBlock(text: string): { block: number; writtenAt: number } | null {
  const at = text.indexOf("@");
  if (at < 0) return null;
  return { block: Number(text.slice(0, at)), writtenAt: Number(text.slice(at + 1)) };
}

const frame = (type: string, data: Record<string, unknown>) =>
  `event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`;

function messageStart(model: string): string {
  return frame("message_start", {
    message: {
      id: `msg_paced_${Date.now()}`,
      type: "message",
      role: "assistant",
      model,
      content: [],
      stop_reason: null,
      stop_sequence: null,
      usage: { input_tokens: 10, output_tokens: 1 },
    },
  });
}

function textBlock(index: number, text: string): string {
  return (
    frame("content_block_start", { index, content_block: { type: "text", text: "" } }) +
    frame("content_block_delta", { index, delta: { type: "text_delta", text } }) +
    frame("content_block_stop", { index })
  );
}

function messageEnd(outputTokens: number): string {
  return (
    frame("message_delta", {
      delta: { stop_reason: "end_turn", stop_sequence: null },
      usage: { output_tokens: outputTokens },
    }) + frame("message_stop", {})
  );
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

/** Writes `text`, waiting for the socket to drain when its buffer is full (the reader is slow). */
async function write(res: ServerResponse, text: string): Promise<void> {
  if (!res.write(text)) await new Promise((resolve) => res.once("drain", resolve));
}

/** Starts the server on a free loopback port. */
export async function startPacedModel(options: PacedModelOptions): Promise<PacedModel> {
  let written = 0;
  let finish: (ms: number) => void = () => {};
  const done = new Promise<number>((resolve) => (finish = resolve));

  async function streamPaced(res: ServerResponse, model: string): Promise<void> {
    res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
    await write(res, messageStart(model));
    const startMs = performance.now();
    written = 0;
    while (written < options.blocks && !res.destroyed) {
      const due = Math.min(
        options.blocks,
        Math.floor(((performance.now() - startMs) * options.blocksPerSecond) / 1000),
      );
      let batch = "";
      const stamp = preciseNow().toFixed(3);
      for (; written < due; written++) batch += textBlock(written, `${written}@${stamp}`);
      if (batch) await write(res, batch);
      await sleep(TICK_MS);
    }
    await write(res, messageEnd(options.blocks * 3));
    res.end();
    finish(performance.now() - startMs);
  }

  function answerShort(res: ServerResponse, model: string, stream: boolean): void {
    if (stream) {
      res.writeHead(200, { "content-type": "text/event-stream" });
      res.end(messageStart(model) + textBlock(0, "ok") + messageEnd(1));
      return;
    }
    res.writeHead(200, { "content-type": "application/json" });
    res.end(
      JSON.stringify({
        id: "msg_paced_short",
        type: "message",
        role: "assistant",
        model,
        content: [{ type: "text", text: "ok" }],
        stop_reason: "end_turn",
        stop_sequence: null,
        usage: { input_tokens: 10, output_tokens: 1 },
      }),
    );
  }

  const server = createServer((req, res) => {
    void (async () => {
      const text = await readBody(req);
      const body = JSON.parse(text) as { model?: string; stream?: boolean };
      const model = body.model ?? "paced";
      if (body.stream && text.includes(options.marker)) await streamPaced(res, model);
      else answerShort(res, model, body.stream === true);
    })().catch(() => res.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    written: () => written,
    done,
    stop: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
