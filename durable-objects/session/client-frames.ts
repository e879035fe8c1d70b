// Turns a raw socket frame into a validated client message, or a failure with a stable code.
import { fail, ok, type Result } from "../../protocol/errors.ts";
import { ClientMessageSchema, MAX_CLIENT_FRAME_BYTES, type ClientMessage } from "../../protocol/room.ts";

const KNOWN_TYPES = new Set<string>(ClientMessageSchema.options.map((option) => option.shape.type.value));

/** Decodes a text frame of JSON; binary, oversize, unparsable, unknown and invalid frames fail. */
export function decodeClientFrame(frame: string | ArrayBuffer): Result<ClientMessage> {
  if (typeof frame !== "string") {
    return fail("malformed_message", "Send text frames holding one JSON message each; binary frames are not accepted.");
  }
  // A UTF-8 byte is at least one UTF-16 unit, so the length bounds the bytes from below.
  if (frame.length > MAX_CLIENT_FRAME_BYTES || new TextEncoder().encode(frame).byteLength > MAX_CLIENT_FRAME_BYTES) {
    return fail("payload_too_large", `A message may be at most ${MAX_CLIENT_FRAME_BYTES} bytes.`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(frame);
  } catch {
    return fail("malformed_message", "That message is not valid JSON.");
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    return fail("malformed_message", 'A message is a JSON object with a "type" field.');
  }
  const type = (parsed as { type?: unknown }).type;
  if (typeof type !== "string" || !KNOWN_TYPES.has(type)) {
    return fail("unknown_message", `Unknown message type ${JSON.stringify(type ?? null).slice(0, 80)}; known types: ${[...KNOWN_TYPES].join(", ")}.`);
  }
  const result = ClientMessageSchema.safeParse(parsed);
  if (!result.success) {
    const issue = result.error.issues[0];
    const where = issue?.path.length ? `${issue.path.join(".")}: ` : "";
    return fail("invalid_input", `Invalid "${type}" message: ${where}${issue?.message ?? "invalid"}.`);
  }
  return ok(result.data);
}
