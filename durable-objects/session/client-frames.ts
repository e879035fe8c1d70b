// Turns a raw socket frame into a validated client message, or a failure with a stable code.
import { fail, type ErrorCode, type Failure } from "../../protocol/errors.ts";
import {
  ClientMessageSchema,
  MAX_CLIENT_FRAME_BYTES,
  type ClientMessage,
} from "../../protocol/room.ts";

const KNOWN_TYPES = new Set<string>(
  ClientMessageSchema.options.map((option) => option.shape.type.value),
);

/** A failed frame, with the `replyTo` its error reply carries. */
export type FrameFailure = Failure & { replyTo: string | null };
/** A decoded frame or why it was refused. */
export type DecodedFrame = { ok: true; value: ClientMessage } | FrameFailure;

/**
 * What an error reply names: a prompt's client id, otherwise the message type; null when the
 * frame could not be read as a message at all.
 */
export function replyToOf(message: { type?: unknown; clientId?: unknown }): string | null {
  if (
    message.type === "prompt" &&
    typeof message.clientId === "string" &&
    message.clientId.length <= 64
  ) {
    return message.clientId;
  }
  return typeof message.type === "string" && KNOWN_TYPES.has(message.type) ? message.type : null;
}

const refuse = (code: ErrorCode, message: string, replyTo: string | null = null): FrameFailure => ({
  ...fail(code, message),
  replyTo,
});

/** Decodes a text frame of JSON; binary, oversize, unparsable, unknown and invalid frames fail. */
export function decodeClientFrame(frame: string | ArrayBuffer): DecodedFrame {
  if (typeof frame !== "string") {
    return refuse(
      "malformed_message",
      "Send text frames holding one JSON message each; binary frames are not accepted.",
    );
  }
  // A UTF-8 byte is at least one UTF-16 unit, so the length bounds the bytes from below.
  if (
    frame.length > MAX_CLIENT_FRAME_BYTES ||
    new TextEncoder().encode(frame).byteLength > MAX_CLIENT_FRAME_BYTES
  ) {
    return refuse("payload_too_large", `A message may be at most ${MAX_CLIENT_FRAME_BYTES} bytes.`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(frame);
  } catch {
    return refuse("malformed_message", "That message is not valid JSON.");
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    return refuse("malformed_message", 'A message is a JSON object with a "type" field.');
  }
  const fields = parsed as { type?: unknown; clientId?: unknown };
  if (typeof fields.type !== "string" || !KNOWN_TYPES.has(fields.type)) {
    const shown = JSON.stringify(fields.type ?? null).slice(0, 80);
    return refuse(
      "unknown_message",
      `Unknown message type ${shown}; known types: ${[...KNOWN_TYPES].join(", ")}.`,
    );
  }
  const result = ClientMessageSchema.safeParse(parsed);
  if (!result.success) {
    const issue = result.error.issues[0];
    const where = issue?.path.length ? `${issue.path.join(".")}: ` : "";
    const message = `Invalid "${fields.type}" message: ${where}${issue?.message ?? "invalid"}.`;
    return refuse("invalid_input", message, replyToOf(fields));
  }
  return { ok: true, value: result.data };
}
