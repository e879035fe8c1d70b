// The session socket, sent batches of random, malformed, wrongly-typed, oversize and binary
// frames, answers each bad frame with a typed error and keeps serving: ping gets pong and a
// valid prompt is still accepted.
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  ClientMessageSchema,
  MAX_CLIENT_FRAME_BYTES,
  ServerMessageSchema,
} from "../../protocol/room.ts";
import { TestSocket } from "../integration/helpers.ts";
import { jsonValue, stringNear, wrongType } from "./arbitraries.ts";
import { fuzz } from "./fuzz-run.ts";
import { createWorld, endWorld, type World } from "./fuzz-world.ts";

/** Batches per run of the property; each batch is up to six frames. */
const BATCHES = 100;

const knownType = fc.constantFrom("subscribe", "prompt", "prompt.cancel", "stop", "typing", "ping");
/** A frame that the room must refuse, with the error it may answer. */
const badFrame: fc.Arbitrary<string | Uint8Array> = fc.oneof(
  fc.uint8Array({ maxLength: 64 }),
  fc.string({ unit: "binary", maxLength: 100 }).filter((text) => {
    try {
      const value: unknown = JSON.parse(text);
      return typeof value !== "object" || value === null || Array.isArray(value);
    } catch {
      return true;
    }
  }),
  jsonValue.filter((value) => typeof value !== "object" || value === null || Array.isArray(value)).map((v) => JSON.stringify(v)),
  fc.record({ type: fc.oneof(wrongType, fc.string({ maxLength: 20 })) }).filter((m) => typeof m.type !== "string" || !["subscribe", "prompt", "prompt.cancel", "stop", "typing", "ping"].includes(m.type)).map((m) => JSON.stringify(m)),
  fc.record({ type: knownType, cursor: wrongType, clientId: wrongType, text: wrongType, typing: wrongType, messageId: wrongType })
    // Wrongly typed fields can still add up to a valid message (a prompt whose text came out as "null"): those are not bad frames.
    .filter((m) => !ClientMessageSchema.safeParse(m).success)
    .map((m) => JSON.stringify(m)),
  fc.tuple(fc.integer({ min: 1, max: 64 }), fc.constantFrom("a", "é")).map(([extra, unit]) => JSON.stringify({ type: "prompt", clientId: "big", text: unit.repeat(MAX_CLIENT_FRAME_BYTES + extra) })),
  stringNear(MAX_CLIENT_FRAME_BYTES).map((text) => `{"type":"ping","pad":"${text}"}`).filter((frame) => new TextEncoder().encode(frame).byteLength > MAX_CLIENT_FRAME_BYTES),
);

describe("the session socket under random frames", () => {
  let world: World;
  let socket: TestSocket;
  let batch = 0;
  beforeAll(async () => {
    world = await createWorld();
    socket = await TestSocket.open(world.owner, world.heldSession);
    await socket.subscribe(0);
  });
  afterAll(async () => {
    socket.close();
    await endWorld(world);
  });

  it("answers every bad frame with a typed error and keeps serving", { timeout: 60_000 }, async () => {
    const frames = fc.array(badFrame, { minLength: 1, maxLength: 6 });
    await fuzz(
      "session socket",
      fc.asyncProperty(frames, async (sent) => {
        const from = socket.received.length;
        for (const frame of sent) socket.ws.send(frame);
        // Ping is answered without waking the room, so it may overtake the replies to the batch.
        const errors = () => socket.received.slice(from).filter((m) => m.type === "error").length;
        const deadline = Date.now() + 5_000;
        while (errors() < sent.length && Date.now() < deadline)
          await new Promise((resolve) => setTimeout(resolve, 5));
        const replies = socket.received.slice(from);
        for (const reply of replies) expect(ServerMessageSchema.safeParse(reply).success).toBe(true);
        expect(errors()).toBe(sent.length);
        const pinged = socket.received.length;
        socket.send({ type: "ping" });
        await socket.next("pong", () => true, pinged);
        expect(socket.ws.readyState).toBe(WebSocket.OPEN);
        const clientId = `alive-${++batch}`;
        const at = socket.received.length;
        socket.send({ type: "prompt", clientId, text: "still here" });
        const accepted = await socket.next("prompt.accepted", (m) => m.clientId === clientId, at);
        // Behind the never-ending turn the prompt only queues; taking it back keeps the queue short.
        socket.send({ type: "prompt.cancel", messageId: accepted.messageId });
      }),
      BATCHES,
    );
  });
});
