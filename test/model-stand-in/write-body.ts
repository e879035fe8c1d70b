// Writes a response body in pieces, with the script's pauses, optionally cutting the connection
// after a number of bytes.
import type { ServerResponse } from "node:http";
import { setImmediate as yieldToLoop, setTimeout as sleep } from "node:timers/promises";
import { cutBody } from "./cut-points.ts";
import type { Pacing } from "./script.ts";

/** How to write a body. */
export interface WriteBodyOptions {
  /** Offsets to cut the body at (see `cutPoints`); must include `firstDelta` for its pause to apply. */
  cuts: readonly number[];
  pacing?: Pacing | undefined;
  /** Where the first content delta starts: `pacing.firstTokenDelayMs` is waited right before it. */
  firstDelta?: number | null;
  /** Destroys the connection once this many bytes are written, instead of ending the body. */
  dropAfterBytes?: number | undefined;
  /** Called after every write with the bytes written so far. */
  onProgress(written: number): void;
}

/** How the writing ended. */
export type WriteOutcome = "complete" | "dropped" | "client_closed";

/** Resolves once `piece` is handed to the socket, or the connection is gone. */
function write(res: ServerResponse, piece: Buffer): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      res.off("close", done);
      resolve();
    };
    res.once("close", done);
    res.write(piece, done);
  });
}

/** Writes `body` to `res` piece by piece, then ends it (or drops the connection). */
export async function writeBody(
  res: ServerResponse,
  body: Buffer,
  options: WriteBodyOptions,
): Promise<WriteOutcome> {
  const { pacing, dropAfterBytes } = options;
  const drop = async (written: number): Promise<WriteOutcome> => {
    options.onProgress(written);
    // Without the closing chunk the client sees the body cut short, as when a proxy drops it.
    res.destroy();
    return "dropped";
  };
  // Before the body is ended, "close" means the client went away.
  let gone = res.destroyed;
  res.once("close", () => (gone = true));
  let written = 0;
  for (const [i, piece] of cutBody(body, options.cuts).entries()) {
    if (gone) return "client_closed";
    const pause =
      written === options.firstDelta && pacing?.firstTokenDelayMs
        ? pacing.firstTokenDelayMs
        : i > 0
          ? (pacing?.chunkDelayMs ?? 0)
          : 0;
    if (pause > 0) await sleep(pause);
    if (gone) return "client_closed";
    if (dropAfterBytes !== undefined && written + piece.length >= dropAfterBytes) {
      const part = piece.subarray(0, dropAfterBytes - written);
      if (part.length > 0) await write(res, part);
      return drop(written + part.length);
    }
    await write(res, piece);
    written += piece.length;
    options.onProgress(written);
    // A turn of the event loop between writes keeps them from merging into one socket write.
    await yieldToLoop();
  }
  if (gone) return "client_closed";
  if (dropAfterBytes !== undefined) return drop(written);
  await new Promise<void>((resolve) => res.end(resolve));
  return "complete";
}
