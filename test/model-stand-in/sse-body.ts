// An answer as the Messages API streams it: the documented event sequence, with text and tool
// input cut into several deltas, encoded as SSE frames; and the byte offsets where the frames
// that pacing and faults care about begin and end.
import type { Answer } from "./message.ts";
import { randomInt, type Random } from "./random.ts";

/** One streaming event: its `type` is also the frame's `event:` name. */
export type StreamEvent = { type: string } & Record<string, unknown>;

/** Cuts `text` into pieces of a few characters, never inside a character. */
function pieces(text: string, random: Random): string[] {
  const chars = Array.from(text);
  const longest = Math.max(1, Math.min(16, Math.ceil(chars.length / 3)));
  const out: string[] = [];
  for (let at = 0; at < chars.length;) {
    const size = randomInt(random, 1, longest);
    out.push(chars.slice(at, at + size).join(""));
    at += size;
  }
  return out;
}

/** The events that stream `answer`, in the documented order. */
export function answerEvents(answer: Answer, random: Random): StreamEvent[] {
  const events: StreamEvent[] = [
    {
      type: "message_start",
      message: {
        ...answer,
        content: [],
        stop_reason: null,
        stop_sequence: null,
        usage: { ...answer.usage, output_tokens: 1, service_tier: "standard" },
      },
    },
    { type: "ping" },
  ];
  answer.content.forEach((block, index) => {
    if (block.type === "text") {
      events.push({
        type: "content_block_start",
        index,
        content_block: { type: "text", text: "" },
      });
      for (const text of pieces(block.text, random)) {
        events.push({ type: "content_block_delta", index, delta: { type: "text_delta", text } });
      }
    } else {
      const { input, ...head } = block;
      events.push({ type: "content_block_start", index, content_block: { ...head, input: {} } });
      // The API opens every tool input with an empty partial; an empty input sends nothing more.
      const json = JSON.stringify(input);
      const partials = ["", ...(json === "{}" ? [] : pieces(json, random))];
      for (const partial_json of partials) {
        events.push({
          type: "content_block_delta",
          index,
          delta: { type: "input_json_delta", partial_json },
        });
      }
    }
    events.push({ type: "content_block_stop", index });
    if (random() < 0.3) events.push({ type: "ping" });
  });
  events.push(
    {
      type: "message_delta",
      delta: { stop_reason: answer.stop_reason, stop_sequence: null },
      usage: answer.usage,
    },
    { type: "message_stop" },
  );
  return events;
}

/** One SSE frame: an `event:` line naming the type, one `data:` line of JSON, a blank line. */
export function encodeFrame(event: StreamEvent): string {
  return `event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`;
}

/** The SSE body of a whole event sequence. */
export function encodeEvents(events: readonly StreamEvent[]): Buffer {
  return Buffer.from(events.map(encodeFrame).join(""));
}

/** A frame's event name and where its bytes lie. */
export interface FrameSpan {
  event: string | null;
  data: string;
  start: number;
  end: number;
}

/** Finds the frames of an SSE body (`\n\n` or `\r\n\r\n` between frames). */
export function scanFrames(body: Buffer): FrameSpan[] {
  const frames: FrameSpan[] = [];
  for (let start = 0; start < body.length;) {
    const lf = body.indexOf("\n\n", start);
    const crlf = body.indexOf("\r\n\r\n", start);
    const [at, gap] =
      crlf !== -1 && (lf === -1 || crlf < lf) ? [crlf, 4] : lf !== -1 ? [lf, 2] : [body.length, 0];
    const lines = body.subarray(start, at).toString("utf8").split(/\r?\n/);
    const field = (name: string) =>
      lines
        .filter((line) => line.startsWith(`${name}:`))
        .map((line) => line.slice(name.length + 1).trimStart());
    frames.push({
      event: field("event")[0] ?? null,
      data: field("data").join("\n"),
      start,
      end: at + gap,
    });
    start = at + gap;
  }
  return frames;
}

/** Byte offsets in a streamed body that pacing, faults and timing refer to. */
export interface BodyMarks {
  /** Where the first content delta starts: the first-token pause goes before it. */
  firstDelta: number | null;
  /** Where the first text delta ends: writing up to here is the first token. */
  firstTextDeltaEnd: number | null;
  /** Where the `message_start` frame ends. */
  messageStartEnd: number;
  /** Where each `content_block_stop` frame ends, in order. */
  blockEnds: number[];
}

/** The marks of an SSE body. */
export function bodyMarks(body: Buffer): BodyMarks {
  const frames = scanFrames(body);
  const firstDelta = frames.find((frame) => frame.event === "content_block_delta");
  const firstText = frames.find(
    (frame) => frame.event === "content_block_delta" && frame.data.includes('"text_delta"'),
  );
  return {
    firstDelta: firstDelta?.start ?? null,
    firstTextDeltaEnd: firstText?.end ?? null,
    messageStartEnd: frames.find((frame) => frame.event === "message_start")?.end ?? 0,
    blockEnds: frames
      .filter((frame) => frame.event === "content_block_stop")
      .map((frame) => frame.end),
  };
}
