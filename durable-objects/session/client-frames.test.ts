import { describe, expect, it } from "vitest";
import { MAX_CLIENT_FRAME_BYTES } from "../../protocol/room.ts";
import { decodeClientFrame } from "./client-frames.ts";

const codeOf = (frame: string | ArrayBuffer) => {
  const result = decodeClientFrame(frame);
  return result.ok ? "ok" : result.error.code;
};

describe("decoding client frames", () => {
  it("accepts every well-formed message type", () => {
    for (const message of [
      { type: "subscribe", cursor: 0 },
      { type: "prompt", clientId: "abc-1", text: "hello" },
      { type: "prompt.cancel", messageId: "msg_x" },
      { type: "stop" },
      { type: "typing", typing: true },
      { type: "ping" },
    ]) {
      expect(codeOf(JSON.stringify(message)), message.type).toBe("ok");
    }
  });

  it("names binary, unparsable, non-object, unknown and invalid frames by code", () => {
    expect(codeOf(new ArrayBuffer(4))).toBe("malformed_message");
    expect(codeOf("{")).toBe("malformed_message");
    expect(codeOf('"text"')).toBe("malformed_message");
    expect(codeOf("[]")).toBe("malformed_message");
    expect(codeOf('{"type":"nope"}')).toBe("unknown_message");
    expect(codeOf('{"type":7}')).toBe("unknown_message");
    expect(codeOf('{"type":"subscribe"}')).toBe("invalid_input");
    expect(codeOf('{"type":"typing","typing":"yes"}')).toBe("invalid_input");
  });

  it("refuses frames over the size limit, counting UTF-8 bytes", () => {
    const ascii = JSON.stringify({
      type: "prompt",
      clientId: "a",
      text: "x".repeat(MAX_CLIENT_FRAME_BYTES),
    });
    expect(codeOf(ascii)).toBe("payload_too_large");
    // Three-byte characters: under the limit in UTF-16 units, over it in bytes.
    const wide = JSON.stringify({ type: "prompt", clientId: "a", text: "€".repeat(90_000) });
    expect(wide.length).toBeLessThan(MAX_CLIENT_FRAME_BYTES);
    expect(codeOf(wide)).toBe("payload_too_large");
  });

  it("fits the longest allowed prompt in any script", () => {
    for (const char of ["€", "😀", "\u0001"]) {
      const longest = JSON.stringify({
        type: "prompt",
        clientId: "a",
        text: char.repeat(32_000 / char.length),
      });
      expect(codeOf(longest), char).toBe("ok");
    }
  });

  it("replies to a prompt's client id, to other messages' type, and to unreadable frames with null", () => {
    const replyTo = (frame: string) => {
      const result = decodeClientFrame(frame);
      return result.ok ? "ok" : result.replyTo;
    };
    expect(replyTo('{"type":"prompt","clientId":"c-7","text":""}')).toBe("c-7");
    expect(replyTo('{"type":"prompt","text":"hi"}')).toBe("prompt");
    expect(replyTo('{"type":"subscribe","cursor":-4}')).toBe("subscribe");
    expect(replyTo('{"type":"weird"}')).toBeNull();
    expect(replyTo("nope")).toBeNull();
  });

  it("says which field is wrong", () => {
    const result = decodeClientFrame('{"type":"prompt","clientId":"a b","text":"hi"}');
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.message).toContain("clientId");
  });
});
