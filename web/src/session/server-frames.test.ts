import { describe, expect, it } from "vitest";
import { decodeServerFrame } from "./server-frames.ts";

const person = { userId: "usr_a", login: "a", name: null, avatarUrl: null };

describe("decodeServerFrame", () => {
  it("decodes a known message", () => {
    expect(decodeServerFrame('{"type":"pong"}')).toEqual({ type: "pong" });
  });

  it("returns null for text that is not JSON or not a known message", () => {
    expect(decodeServerFrame("nope")).toBeNull();
    expect(decodeServerFrame('{"type":"mystery"}')).toBeNull();
    expect(decodeServerFrame(new ArrayBuffer(2))).toBeNull();
  });

  it("keeps the events it knows from a frame that also holds an unknown one", () => {
    const known = {
      seq: 1,
      at: 1,
      actor: person,
      type: "session.created",
      data: { repo: "o/r", title: "t" },
    };
    const unknown = { seq: 2, at: 2, actor: null, type: "agent.future_thing", data: {} };
    const frame = JSON.stringify({ type: "events", replay: true, events: [known, unknown] });
    expect(decodeServerFrame(frame)).toEqual({ type: "events", replay: true, events: [known] });
  });

  it("decodes streamed text and live tool output", () => {
    const delta = { type: "agent.delta", messageId: "msg_1", step: 0, index: 1, text: "Hi" };
    expect(decodeServerFrame(JSON.stringify(delta))).toEqual(delta);
    const output = { type: "tool.output", messageId: "msg_1", toolUseId: "tu_1", text: "ok\n" };
    expect(decodeServerFrame(JSON.stringify(output))).toEqual(output);
  });
});
