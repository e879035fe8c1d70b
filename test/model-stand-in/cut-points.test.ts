// Cutting a body into writes: every byte kept, and cuts where parsers are most likely to trip.
import { describe, expect, it } from "vitest";
import { cutBody, cutPoints } from "./cut-points.ts";
import { seededRandom } from "./random.ts";
import { bodyMarks, encodeEvents } from "./sse-body.ts";

const body = encodeEvents([
  { type: "message_start", message: { id: "msg_1" } },
  {
    type: "content_block_delta",
    index: 0,
    delta: { type: "text_delta", text: "日本語 👋🏽 café ".repeat(8) },
  },
  { type: "message_stop" },
]);

describe("cutPoints", () => {
  it("keeps every byte, in order", () => {
    for (const seed of [1, 2, 3]) {
      const cuts = cutPoints(body, seededRandom(seed));
      expect(Buffer.concat(cutBody(body, cuts)).equals(body)).toBe(true);
      expect(cuts).toEqual([...cuts].sort((a, b) => a - b));
      expect(cuts.every((at) => at > 0 && at < body.length)).toBe(true);
    }
  });

  it("cuts inside multi-byte characters and inside data lines", () => {
    const pieces = cutBody(body, cutPoints(body, seededRandom(7)));
    const decoder = new TextDecoder("utf-8", { fatal: true });
    const brokenCharacters = pieces.filter((piece) => {
      try {
        decoder.decode(piece);
        return false;
      } catch {
        return true;
      }
    });
    expect(brokenCharacters.length).toBeGreaterThan(3);
    expect(
      pieces.some(
        (piece) =>
          piece.toString("latin1").includes("data: {") &&
          !piece.toString("latin1").includes("\n\n"),
      ),
    ).toBe(true);
  });

  it("always cuts at the forced offsets", () => {
    const marks = bodyMarks(body);
    expect(cutPoints(body, seededRandom(1), [marks.firstDelta!])).toContain(marks.firstDelta);
  });

  it("gives the same cuts for the same seed", () => {
    expect(cutPoints(body, seededRandom(11))).toEqual(cutPoints(body, seededRandom(11)));
    expect(cutPoints(body, seededRandom(11))).not.toEqual(cutPoints(body, seededRandom(12)));
  });
});
