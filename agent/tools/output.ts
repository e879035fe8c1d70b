// Shaping text for the model: decoding command output, keeping the head and tail of long output,
// cutting long lines, and saying how a command ended.
import type { ExecResult } from "../../protocol/sandbox-host.ts";

/** The most output a tool hands the model from a command, search or diff. */
export const MAX_OUTPUT_BYTES = 30 * 1024;

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** The bytes of base64 text, as exec results carry output. */
export function decodeBase64(base64: string): Uint8Array {
  const binary = atob(base64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/** Base64 command output as text; invalid UTF-8 becomes U+FFFD. */
export const decodeOutput = (base64: string): string => bytesToText(decodeBase64(base64));

/** Bytes as text; invalid UTF-8 becomes U+FFFD. */
export const bytesToText = (bytes: Uint8Array): string => decoder.decode(bytes);

/** Text as UTF-8 bytes. */
export const textToBytes = (text: string): Uint8Array => encoder.encode(text);

/** A byte count as people read it: "812 bytes", "14.2 KiB", "3.1 MiB". */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} byte${bytes === 1 ? "" : "s"}`;
  const [amount, unit] = bytes < 1024 * 1024 ? [bytes / 1024, "KiB"] : [bytes / 1024 / 1024, "MiB"];
  return `${amount.toFixed(1).replace(/\.0$/, "")} ${unit}`;
}

const isContinuation = (byte: number | undefined) => byte !== undefined && (byte & 0xc0) === 0x80;

/**
 * The text of `bytes`, at most about `maxBytes` of it: when longer, the first and last halves are
 * kept (cut at line ends where one is near) and a line in between says how much was cut.
 * `totalBytes` is the size of the whole output when `bytes` is already a cut of it.
 */
export function capBytes(
  bytes: Uint8Array,
  maxBytes: number,
  options: { totalBytes?: number; hint?: string } = {},
): string {
  if (bytes.length <= maxBytes) return bytesToText(bytes);
  const half = Math.floor(maxBytes / 2);
  // The head ends at a character boundary, at the last line end in its second half if any.
  let headEnd = half;
  while (headEnd > 0 && isContinuation(bytes[headEnd])) headEnd--;
  const lineEnd = headEnd > 0 ? bytes.lastIndexOf(0x0a, headEnd - 1) : -1;
  if (lineEnd >= half / 2) headEnd = lineEnd + 1;
  // The tail starts at a character boundary, after the first line end in its first half if any.
  let tailStart = bytes.length - half;
  while (tailStart < bytes.length && isContinuation(bytes[tailStart])) tailStart++;
  const lineStart = bytes.indexOf(0x0a, tailStart);
  if (lineStart !== -1 && lineStart < tailStart + half / 2) tailStart = lineStart + 1;

  const shown = headEnd + (bytes.length - tailStart);
  const cut = (options.totalBytes ?? bytes.length) - shown;
  const head = bytesToText(bytes.subarray(0, headEnd));
  const note = `[… ${formatBytes(cut)} cut from the middle …${options.hint ? ` ${options.hint}` : ""}]`;
  return `${head}${head.endsWith("\n") ? "" : "\n"}${note}\n${bytesToText(bytes.subarray(tailStart))}`;
}

/** Text kept to about `maxBytes` by `capBytes`, and whether anything was cut. */
export function capHeadTail(
  text: string,
  maxBytes: number,
  hint?: string,
): { text: string; truncated: boolean } {
  const bytes = textToBytes(text);
  if (bytes.length <= maxBytes) return { text, truncated: false };
  return { text: capBytes(bytes, maxBytes, hint ? { hint } : {}), truncated: true };
}

/** A line cut to `maxChars`, saying so at the cut. */
export const cutLine = (line: string, maxChars: number): string =>
  line.length > maxChars
    ? `${line.slice(0, maxChars)}… [line cut: ${line.length - maxChars} more characters]`
    : line;

/** Cuts every line of a text longer than `maxChars`. */
export const cutLongLines = (text: string, maxChars: number): string =>
  text
    .split("\n")
    .map((line) => cutLine(line, maxChars))
    .join("\n");

/** How a command ended, in one sentence. */
export function describeEnd(result: ExecResult, timeoutMs: number): string {
  const took = formatDuration(result.durationMs);
  if (result.timedOut)
    return `Timed out after ${formatDuration(timeoutMs)}; the command and its children were killed.`;
  if (result.signal !== null) return `Killed by ${result.signal} after ${took}.`;
  return `Exit code ${result.exitCode} after ${took}.`;
}

/** A duration as people read it: "840 ms", "12.5 s", "3 min 20 s". */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1).replace(/\.0$/, "")} s`;
  const seconds = Math.round(ms / 1000);
  const rest = seconds % 60;
  return `${Math.floor(seconds / 60)} min${rest ? ` ${rest} s` : ""}`;
}
